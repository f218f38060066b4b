import { Logger } from '@nestjs/common';
import { execFileSync, spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import path from 'node:path';
import { AuditRecorded, createEvent, DeadLettered, ENVELOPE_FIELD, type StreamName, Streams, validateEnvelope } from '@trading/contracts';
import { processedEventsMigrationSql, RedisStreamsServer, runIdempotent, StreamPublisher, streamKey } from '@trading/streams';
import { createTestDatabase, repoRoot, TestDatabase, testRedisUrl, uniqueRedisNamespace } from '@trading/testing';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';

const SCHEMA = 'dlq_test';

function auditEvent(label: string): AuditRecorded.Event {
  return createEvent(
    AuditRecorded.TYPE,
    { actorUserId: null, action: 'test.recorded', resourceType: 'test', resourceId: label, outcome: 'success', ip: null, userAgent: null, details: { label }, recordedAt: new Date().toISOString() },
    { source: 'test' },
  );
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * `tradectl dlq list | replay` end to end, spawning the built CLI: two consumer groups of events:audit (libs/streams
 * server, idempotent handlers on PostgreSQL processed_events), one of which dead-letters an event the other handled.
 */
describe('tradectl dlq', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let redis: Redis;
  let namespace: string;
  let publisher: StreamPublisher;
  const servers: RedisStreamsServer[] = [];
  /** Handler invocations per group and event id (deliveries, whether or not the effect ran). */
  const invocations = new Map<string, number>();
  let projectorFixed = false;

  const cli = (args: string[]) =>
    spawnSync(process.execPath, [path.join(repoRoot, 'dist/apps/cli/src/main.js'), 'dlq', ...args], {
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: testRedisUrl(), REDIS_NAMESPACE: namespace, DATABASE_URL: db.url, LOG_LEVEL: 'error' },
    });
  const cliJson = <T>(args: string[]): T => {
    const result = cli([...args, '--json']);
    if (result.status !== 0) throw new Error(`tradectl dlq ${args.join(' ')} failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  const dlqKey = () => streamKey(namespace, Streams.DeadLetter);
  const dlqIds = async () => (await redis.xrange(dlqKey(), '-', '+')).map(([id]) => id);
  const effects = async (group: string, eventId: string) =>
    Number(((await ds.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.effects WHERE consumer_group = $1 AND event_id = $2`, [group, eventId])) as { n: number }[])[0].n);

  async function startGroup(group: string, failing: () => boolean): Promise<void> {
    const server = new RedisStreamsServer({ redisUrl: testRedisUrl(), namespace, service: group, consumer: `${group}-1`, blockMs: 100, retryBackoffMs: 10, maxDeliveries: 2 });
    server.addHandler(
      Streams.Audit,
      async (event: AuditRecorded.Event) => {
        const key = `${group}\n${event.id}`;
        invocations.set(key, (invocations.get(key) ?? 0) + 1);
        if (failing()) throw new Error(`${group} cannot handle ${event.payload.action} yet`);
        await runIdempotent(ds, { schema: SCHEMA, consumerGroup: group, eventId: event.id }, (m) =>
          m.query(`INSERT INTO ${SCHEMA}.effects (consumer_group, event_id) VALUES ($1, $2)`, [group, event.id]),
        );
      },
      true,
    );
    await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve())));
    servers.push(server);
  }

  /** A letter written the way RedisStreamsServer.deadLetter writes one. */
  async function addLetter(stream: StreamName, service: string, raw: string): Promise<string> {
    const letter = createEvent(
      DeadLettered.TYPE,
      { stream, entryId: '1-0', raw, reason: 'handler failed 5 times: test', service, consumer: `${service}-1`, deliveries: 5, failedAt: new Date().toISOString() },
      { source: service },
    );
    return (await redis.xadd(dlqKey(), '*', ENVELOPE_FIELD, JSON.stringify(letter))) as string;
  }

  beforeAll(async () => {
    if (!process.env.STREAMS_TEST_LOG) Logger.overrideLogger(false);
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('cli_dlq');
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    await ds.query(`CREATE SCHEMA ${SCHEMA}`);
    for (const sql of processedEventsMigrationSql(SCHEMA).up) await ds.query(sql);
    // no unique key: a second application of an event would show as a second row
    await ds.query(`CREATE TABLE ${SCHEMA}.effects (consumer_group text NOT NULL, event_id uuid NOT NULL)`);
    redis = new Redis(testRedisUrl());
  }, 60_000);

  beforeEach(() => {
    namespace = uniqueRedisNamespace('cli-dlq');
    publisher = StreamPublisher.connect({ redisUrl: testRedisUrl(), namespace });
    projectorFixed = false;
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await publisher.close();
    const keys = await redis.keys(`${namespace}*`);
    if (keys.length) await redis.del(...keys);
  });

  afterAll(async () => {
    redis?.disconnect();
    await ds?.destroy();
    await db?.drop();
  });

  it('lists the letter, changes nothing on --dry-run, and --id re-delivers it: the fixed group handles it once, the other skips it', async () => {
    await startGroup('recorder', () => false);
    await startGroup('projector', () => !projectorFixed);
    const event = auditEvent('a');
    const originalEntryId = await publisher.publish(Streams.Audit, event);

    await eventually(async () => (await redis.xlen(dlqKey())) === 1, 'projector dead-letters the event');
    await eventually(async () => (await effects('recorder', event.id)) === 1, 'recorder handles the event');
    expect(invocations.get(`projector\n${event.id}`)).toBe(2);

    const listed = cliJson<{ dlqId: string; letter: DeadLettered.Payload; eventType: string; eventId: string }[]>(['list']);
    expect(listed).toHaveLength(1);
    const [row] = listed;
    expect(row).toMatchObject({ eventType: AuditRecorded.TYPE, eventId: event.id });
    expect(row.letter).toMatchObject({ stream: Streams.Audit, entryId: originalEntryId, service: 'projector', consumer: 'projector-1', deliveries: 2 });
    expect(row.letter.reason).toMatch(/projector cannot handle test\.recorded yet/);
    expect(JSON.parse(row.letter.raw)).toEqual(JSON.parse(JSON.stringify(event)));

    const table = cli(['list']);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain(row.dlqId);
    expect(table.stdout).toContain(originalEntryId);
    expect(table.stdout).toContain(event.id);
    expect(table.stdout).not.toContain('"payload"'); // the raw event is not printed in the table
    expect(cliJson<unknown[]>(['list', '--service', 'recorder'])).toEqual([]);

    const auditLength = await redis.xlen(streamKey(namespace, Streams.Audit));
    const dry = cliJson<{ dryRun: boolean; replayed: { dlqId: string; newEntryId: string | null }[] }>(['replay', '--id', row.dlqId, '--dry-run']);
    expect(dry.dryRun).toBe(true);
    expect(dry.replayed).toEqual([expect.objectContaining({ dlqId: row.dlqId, newEntryId: null })]);
    expect(await dlqIds()).toEqual([row.dlqId]);
    expect(await redis.xlen(streamKey(namespace, Streams.Audit))).toBe(auditLength);

    projectorFixed = true;
    const report = cliJson<{ replayed: { dlqId: string; stream: string; newEntryId: string }[]; skipped: unknown[]; missing: string[]; auditEntryId: string }>([
      'replay',
      '--id',
      row.dlqId,
      '--id',
      '1-0',
    ]);
    expect(report.replayed).toEqual([expect.objectContaining({ dlqId: row.dlqId, stream: Streams.Audit })]);
    expect(report.missing).toEqual(['1-0']);
    expect(await dlqIds()).toEqual([]);
    const [[, fields]] = await redis.xrange(streamKey(namespace, Streams.Audit), report.replayed[0].newEntryId, report.replayed[0].newEntryId);
    expect(fields).toEqual([ENVELOPE_FIELD, row.letter.raw]);

    await eventually(async () => (await effects('projector', event.id)) === 1, 'projector handles the replayed event');
    // The replay reached the recorder too (and the audit record after it); its processed_events row made it skip it.
    await eventually(async () => invocations.get(`recorder\n${event.id}`) === 2, 'recorder receives the replayed entry');
    const [[auditId, auditFields]] = await redis.xrange(streamKey(namespace, Streams.Audit), report.auditEntryId, report.auditEntryId);
    const audit = validateEnvelope(auditFields[1], Streams.Audit);
    if (!audit.ok) throw new Error(audit.reasons.join('; '));
    await eventually(async () => (await effects('recorder', audit.event.id)) === 1 && (await effects('projector', audit.event.id)) === 1, 'both groups handle the audit record');
    expect(await effects('recorder', event.id)).toBe(1);
    expect(await effects('projector', event.id)).toBe(1);
    expect(invocations.get(`projector\n${event.id}`)).toBe(3);
    expect(auditId).toBe(report.auditEntryId);
    expect(audit.event.payload).toMatchObject({
      action: 'system.dead_letters_replayed',
      outcome: 'success',
      details: { operator: userInfo().username, replayed: 1, skipped: 0, missing: 1, streams: { [Streams.Audit]: 1 }, services: ['projector'], eventIds: [event.id] },
    });
    expect(await redis.xlen(dlqKey())).toBe(0);
  });

  it('--all --service selects only that group\'s letters; unparsable and not replayable ones are skipped and stay', async () => {
    const good = auditEvent('good');
    const unparsable = await addLetter(Streams.Audit, 'projector', '{"id": "truncated');
    const othersLetter = await addLetter(Streams.Audit, 'other', JSON.stringify(auditEvent('other')));
    const replayable = await addLetter(Streams.Audit, 'projector', JSON.stringify(good));
    const trades = await addLetter(Streams.Trades, 'projector', JSON.stringify(auditEvent('trades')));
    const wrongType = await addLetter(Streams.Orders, 'projector', JSON.stringify(auditEvent('orders')));

    const limited = cliJson<{ dlqId: string }[]>(['list', '--service', 'projector', '--limit', '2']);
    expect(limited.map((r) => r.dlqId)).toEqual([unparsable, replayable]);
    const listed = cli(['list']);
    expect(listed.stdout).toContain(unparsable);
    expect(listed.stdout).not.toContain('truncated');

    const dry = cliJson<{ replayed: { dlqId: string }[]; skipped: { dlqId: string }[] }>(['replay', '--all', '--service', 'projector', '--dry-run']);
    expect(dry.replayed.map((r) => r.dlqId)).toEqual([replayable]);
    expect(await dlqIds()).toEqual([unparsable, othersLetter, replayable, trades, wrongType]);

    const report = cliJson<{ selected: number; replayed: { dlqId: string; newEntryId: string }[]; skipped: { dlqId: string; reason: string }[] }>([
      'replay',
      '--all',
      '--service',
      'projector',
    ]);
    expect(report.selected).toBe(4);
    expect(report.replayed.map((r) => r.dlqId)).toEqual([replayable]);
    expect(report.skipped.map((s) => s.dlqId)).toEqual([unparsable, trades, wrongType]);
    expect(report.skipped[0].reason).toMatch(/not a valid envelope.*not JSON/);
    expect(report.skipped[1].reason).toMatch(/replay to events:trades is not supported/);
    expect(report.skipped[2].reason).toMatch(/"audit.recorded" is not carried by events:orders/);
    expect(await dlqIds()).toEqual([unparsable, othersLetter, trades, wrongType]);
    const [[, fields]] = await redis.xrange(streamKey(namespace, Streams.Audit), report.replayed[0].newEntryId, report.replayed[0].newEntryId);
    expect(JSON.parse(fields[1])).toMatchObject({ id: good.id });

    // Replaying the same letter again finds nothing: it is gone.
    expect(cliJson<{ missing: string[]; replayed: unknown[] }>(['replay', '--id', replayable])).toMatchObject({ missing: [replayable], replayed: [] });
    const text = cli(['replay', '--all', '--stream', Streams.Trades]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/1 selected, 0 replayed, 1 skipped, 0 missing/);
  });

  it('refuses a replay without --id or --all', () => {
    const result = cli(['replay']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--id .* or --all/);
  });
});
