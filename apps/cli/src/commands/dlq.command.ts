import { userInfo } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { createRedisConnection } from '@trading/streams';
import type Redis from 'ioredis';
import { DeadLetterRow, listDeadLetters, REPLAYABLE_STREAMS, replayDeadLetters, ReplayReport } from './dead-letters';

interface FilterOptions {
  stream?: string;
  service?: string;
  type?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** Env as the services read it: REDIS_URL, REDIS_NAMESPACE. */
async function withRedis<T>(run: (redis: Redis, namespace: string) => Promise<T>): Promise<T> {
  const redis = createRedisConnection(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { name: 'tradectl:dlq' });
  try {
    return await run(redis, process.env.REDIS_NAMESPACE ?? '');
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || process.env.LOGNAME || 'unknown';
  }
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function printTable(rows: DeadLetterRow[]): void {
  if (rows.length === 0) {
    console.log('no dead letters');
    return;
  }
  const header = ['DLQ ID', 'FAILED AT', 'STREAM', 'ENTRY ID', 'GROUP', 'DELIVERIES', 'EVENT TYPE', 'EVENT ID', 'REASON'];
  const lines = rows.map((r) =>
    r.letter
      ? [r.dlqId, r.letter.failedAt, r.letter.stream, r.letter.entryId, r.letter.service, String(r.letter.deliveries), r.eventType ?? '-', r.eventId ?? '-', oneLine(r.letter.reason, 120)]
      : [r.dlqId, '-', '-', '-', '-', '-', '-', '-', oneLine(`unreadable letter: ${r.letterError ?? ''}`, 120)],
  );
  const widths = header.map((h, i) => (i === header.length - 1 ? 0 : Math.max(h.length, ...lines.map((l) => l[i].length))));
  for (const line of [header, ...lines]) console.log(line.map((cell, i) => (widths[i] ? cell.padEnd(widths[i]) : cell)).join('  '));
}

function printReport(report: ReplayReport): void {
  const verb = report.dryRun ? 'would replay' : 'replayed';
  for (const r of report.replayed) console.log(`${verb} ${r.dlqId} -> ${r.stream}${r.newEntryId ? ` ${r.newEntryId}` : ''} (${r.eventType ?? '?'} ${r.eventId ?? '?'}, failed in ${r.service})`);
  for (const s of report.skipped) console.log(`skipped ${s.dlqId}${s.stream ? ` (${s.stream}, ${s.service})` : ''}: ${s.reason}`);
  for (const id of report.missing) console.log(`not in events:dlq: ${id}`);
  console.log(`${report.dryRun ? 'dry run: ' : ''}${report.selected} selected, ${report.replayed.length} ${verb}, ${report.skipped.length} skipped, ${report.missing.length} missing`);
}

/**
 * `tradectl dlq list | replay`: the letters consumers gave up on (events:dlq), and their re-delivery to the original
 * stream once the cause is fixed. Talks to Redis directly (REDIS_URL, REDIS_NAMESPACE).
 */
export function registerDlqCommand(program: Command): void {
  const dlq = program.command('dlq').description('dead-lettered events (events:dlq): list them, replay them to their stream');
  dlq
    .command('list')
    .description('dead letters, oldest first: id, failedAt, original stream and entry, group, deliveries, event type/id, reason')
    .option('--stream <stream>', 'only letters from this original stream (e.g. events:orders)')
    .option('--service <group>', 'only letters of this consumer group (service) that gave up')
    .option('--type <type>', 'only letters whose event has this type (e.g. order.rejected)')
    .option('--limit <n>', 'at most N letters', positive)
    .option('--json', 'every field, raw event included, as JSON')
    .action(async (options: FilterOptions & { limit?: number }) => {
      const rows = await withRedis((redis, namespace) => listDeadLetters(redis, namespace, options, options.limit ?? Infinity));
      if (options.json) console.log(JSON.stringify(rows, null, 2));
      else printTable(rows);
    });
  dlq
    .command('replay')
    .description(
      [
        're-add each selected letter\'s raw event to its original stream and delete the letter (atomically, once);',
        'every consumer group of that stream gets it again and skips it if it handled that event id already.',
        'Letters whose event would be dead-lettered again (invalid envelope) are skipped and stay.',
        `Replayable streams: ${[...REPLAYABLE_STREAMS].join(', ')}. Records an audit event system.dead_letters_replayed.`,
      ].join('\n'),
    )
    .option('--id <dlqEntryId>', 'a letter by its events:dlq entry id (repeatable)', collect)
    .option('--all', 'every letter (narrowed by --stream/--service/--type)')
    .option('--stream <stream>', 'only letters from this original stream')
    .option('--service <group>', 'only letters of this consumer group')
    .option('--type <type>', 'only letters whose event has this type')
    .option('--dry-run', 'show what would be replayed; change nothing')
    .option('--json', 'the report as JSON')
    .action(async (options: FilterOptions & { id?: string[]; all?: boolean; dryRun?: boolean }) => {
      const report = await withRedis((redis, namespace) =>
        replayDeadLetters(redis, namespace, { ...options, ids: options.id, operator: operator() }),
      );
      if (options.json) console.log(JSON.stringify(report, null, 2));
      else printReport(report);
    });
}
