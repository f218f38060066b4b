import { AuditRecorded, createEvent, DeadLettered, ENVELOPE_FIELD, type StreamName, Streams, validateEnvelope } from '@trading/contracts';
import { DEFAULT_MAX_LENGTHS, LuaCommand, StreamPublisher, streamKey } from '@trading/streams';
import type Redis from 'ioredis';

/** One entry of events:dlq as `dlq list` shows it. */
export interface DeadLetterRow {
  /** Entry id in events:dlq: what `dlq replay --id` takes. */
  dlqId: string;
  /** null when the events:dlq entry itself is not a valid DeadLettered event. */
  letter: DeadLettered.Payload | null;
  /** Why the entry is not a readable letter (then `letter` is null). */
  letterError: string | null;
  /** The dead-lettered event's type and id, when its raw field parses as an object carrying them. */
  eventType: string | null;
  eventId: string | null;
}

export interface DeadLetterFilter {
  stream?: string;
  service?: string;
  type?: string;
}

/**
 * Streams a letter may be re-added to. Re-adding delivers to EVERY group of the stream, so only streams whose every
 * reader skips an event id it already handled are listed. Left out, and why:
 * - events:trades, events:strategy_signals, events:market_data: the risk service's in-memory book reads them with a
 *   plain XREAD and re-applies an entry with a new entry id (a PositionChanged re-opens a position closed since, an
 *   old candle re-marks positions at an old price, a TradeExecuted older than its bot's last 64 trades counts twice);
 *   trading-engine applies BotStatusChanged without an event-id check (an old status would override the current one).
 * - events:dlq: a letter about a letter is not re-delivered anywhere.
 */
export const REPLAYABLE_STREAMS: ReadonlySet<StreamName> = new Set([Streams.Orders, Streams.Risk, Streams.Audit]);

const NOT_REPLAYABLE_REASON: Partial<Record<StreamName, string>> = {
  [Streams.Trades]: "risk's in-memory book would apply it a second time",
  [Streams.StrategySignals]: "risk's in-memory book and trading-engine's bot status would apply it a second time",
  [Streams.MarketData]: "risk's in-memory book would re-mark positions at the old price",
  [Streams.DeadLetter]: 'letters are not re-delivered to events:dlq',
};

const PAGE = 1_000;

/**
 * Deletes the letter from events:dlq and, only if it was still there, re-adds the raw event to its stream, in one
 * atomic script: a letter is replayed once even if two operators replay it at the same time, and never lost.
 * KEYS[1] events:dlq, KEYS[2] original stream; ARGV dlq entry id, MAXLEN, envelope field, raw event.
 * Returns the new entry id, or false when the letter was gone already.
 */
const REPLAY_LETTER = new LuaCommand<string | null>(
  'dlqReplayLetter',
  `if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return false end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', ARGV[3], ARGV[4])`,
  2,
);

function toRow(dlqId: string, fields: string[]): DeadLetterRow {
  const at = fields.indexOf(ENVELOPE_FIELD);
  const raw = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  const validation = raw === undefined ? ({ ok: false, reasons: [`no "${ENVELOPE_FIELD}" field`] } as const) : validateEnvelope(raw, Streams.DeadLetter);
  if (!validation.ok) return { dlqId, letter: null, letterError: validation.reasons.join('; '), eventType: null, eventId: null };
  const letter = validation.event.payload as DeadLettered.Payload;
  const { type, id } = peekEvent(letter.raw);
  return { dlqId, letter: { ...letter }, letterError: null, eventType: type, eventId: id };
}

function peekEvent(raw: string): { type: string | null; id: string | null } {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { type: null, id: null };
    const { type, id } = parsed as Record<string, unknown>;
    return { type: typeof type === 'string' ? type : null, id: typeof id === 'string' ? id : null };
  } catch {
    return { type: null, id: null };
  }
}

function matches(row: DeadLetterRow, filter: DeadLetterFilter): boolean {
  if (!filter.stream && !filter.service && !filter.type) return true;
  if (!row.letter) return false;
  if (filter.stream && row.letter.stream !== filter.stream) return false;
  if (filter.service && row.letter.service !== filter.service) return false;
  if (filter.type && row.eventType !== filter.type) return false;
  return true;
}

/** Every letter in events:dlq matching the filter, oldest first, at most `limit`. */
export async function listDeadLetters(redis: Redis, namespace: string, filter: DeadLetterFilter = {}, limit = Infinity): Promise<DeadLetterRow[]> {
  const key = streamKey(namespace, Streams.DeadLetter);
  const rows: DeadLetterRow[] = [];
  let start = '-';
  for (;;) {
    const page = (await redis.xrange(key, start, '+', 'COUNT', PAGE)) as [string, string[]][];
    for (const [id, fields] of page) {
      const row = toRow(id, fields);
      if (matches(row, filter)) rows.push(row);
      if (rows.length >= limit) return rows;
    }
    if (page.length < PAGE) return rows;
    start = `(${page[page.length - 1][0]}`;
  }
}

async function lettersById(redis: Redis, namespace: string, ids: readonly string[]): Promise<{ rows: DeadLetterRow[]; missing: string[] }> {
  const key = streamKey(namespace, Streams.DeadLetter);
  const rows: DeadLetterRow[] = [];
  const missing: string[] = [];
  for (const id of [...new Set(ids)]) {
    if (!/^\d+-\d+$/.test(id)) throw new Error(`--id ${id}: not a stream entry id (like 1718000000000-0)`);
    const [entry] = (await redis.xrange(key, id, id)) as [string, string[]][];
    if (entry) rows.push(toRow(entry[0], entry[1]));
    else missing.push(id);
  }
  return { rows, missing };
}

export interface ReplayedLetter {
  dlqId: string;
  stream: string;
  service: string;
  eventType: string | null;
  eventId: string | null;
  /** The entry id the event got on its original stream; null in a dry run. */
  newEntryId: string | null;
}

export interface SkippedLetter {
  dlqId: string;
  stream: string | null;
  service: string | null;
  reason: string;
}

export interface ReplayReport {
  dryRun: boolean;
  selected: number;
  replayed: ReplayedLetter[];
  skipped: SkippedLetter[];
  /** --id values not (or no longer) in events:dlq. */
  missing: string[];
  /** Entry id of the AuditRecorded system.dead_letters_replayed event; null in a dry run or when nothing was replayed. */
  auditEntryId: string | null;
}

export interface ReplayRequest extends DeadLetterFilter {
  ids?: readonly string[];
  all?: boolean;
  dryRun?: boolean;
  /** Who ran it, for the audit record (the operator's OS user). */
  operator: string;
}

/** Why a letter must not be replayed, or null when it may. */
function refusal(row: DeadLetterRow): string | null {
  if (!row.letter) return `not a readable dead letter: ${row.letterError}`;
  const stream = row.letter.stream as StreamName;
  if (!(Object.values(Streams) as string[]).includes(stream)) return `unknown stream ${row.letter.stream}`;
  if (!REPLAYABLE_STREAMS.has(stream)) return `replay to ${stream} is not supported: ${NOT_REPLAYABLE_REASON[stream] ?? 'not every consumer dedupes by event id'}`;
  // What the consumers check first: replaying an entry they refuse would only dead-letter it again.
  const validation = validateEnvelope(row.letter.raw, stream);
  if (!validation.ok) return `raw event is not a valid envelope for ${stream}: ${validation.reasons.join('; ')}`;
  return null;
}

/**
 * Re-adds each selected letter's raw event to its original stream and deletes the letter, atomically per letter;
 * letters that would only be dead-lettered again (or whose stream is not replayable) are skipped and stay. Records
 * one AuditRecorded `system.dead_letters_replayed` on events:audit when anything was replayed.
 */
export async function replayDeadLetters(redis: Redis, namespace: string, request: ReplayRequest): Promise<ReplayReport> {
  const hasIds = (request.ids?.length ?? 0) > 0;
  if (hasIds === Boolean(request.all)) throw new Error('give either --id (one or more) or --all');
  const filter: DeadLetterFilter = { stream: request.stream, service: request.service, type: request.type };
  const { rows, missing } = hasIds ? await lettersById(redis, namespace, request.ids ?? []) : { rows: await listDeadLetters(redis, namespace, filter), missing: [] };
  const selected = hasIds ? rows.filter((r) => matches(r, filter)) : rows;
  const report: ReplayReport = { dryRun: Boolean(request.dryRun), selected: selected.length, replayed: [], skipped: [], missing, auditEntryId: null };
  const dlqKey = streamKey(namespace, Streams.DeadLetter);
  for (const row of selected) {
    const refused = refusal(row);
    if (refused || !row.letter) {
      report.skipped.push({ dlqId: row.dlqId, stream: row.letter?.stream ?? null, service: row.letter?.service ?? null, reason: refused ?? 'unreadable' });
      continue;
    }
    const stream = row.letter.stream as StreamName;
    const done: ReplayedLetter = { dlqId: row.dlqId, stream, service: row.letter.service, eventType: row.eventType, eventId: row.eventId, newEntryId: null };
    if (!report.dryRun) {
      const newEntryId = await REPLAY_LETTER.run(redis, [dlqKey, streamKey(namespace, stream)], [row.dlqId, DEFAULT_MAX_LENGTHS[stream], ENVELOPE_FIELD, row.letter.raw]);
      if (!newEntryId) {
        report.missing.push(row.dlqId); // replayed or deleted by someone else meanwhile
        continue;
      }
      done.newEntryId = newEntryId;
    }
    report.replayed.push(done);
  }
  if (!report.dryRun && report.replayed.length > 0) report.auditEntryId = await recordReplay(redis, namespace, request.operator, report);
  return report;
}

async function recordReplay(redis: Redis, namespace: string, operator: string, report: ReplayReport): Promise<string> {
  const byStream: Record<string, number> = {};
  for (const r of report.replayed) byStream[r.stream] = (byStream[r.stream] ?? 0) + 1;
  const event = createEvent(
    AuditRecorded.TYPE,
    {
      actorUserId: null,
      action: 'system.dead_letters_replayed',
      resourceType: 'dead_letter_queue',
      resourceId: Streams.DeadLetter,
      outcome: 'success',
      ip: null,
      userAgent: null,
      details: {
        operator,
        replayed: report.replayed.length,
        skipped: report.skipped.length,
        missing: report.missing.length,
        streams: byStream,
        services: [...new Set(report.replayed.map((r) => r.service))],
        eventIds: report.replayed.map((r) => r.eventId).slice(0, 100),
      },
      recordedAt: new Date().toISOString(),
    },
    { source: 'tradectl' },
  );
  // Borrowed connection: the caller closes it, the publisher does not own it.
  return new StreamPublisher({ redisUrl: '', namespace }, redis).publish(Streams.Audit, event);
}
