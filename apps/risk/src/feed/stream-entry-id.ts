/** Redis stream entry ids (`<ms>-<seq>`), compared in stream order. */

const ENTRY_ID = /^(\d{1,20})-(\d{1,20})$/;

function parts(id: string): [bigint, bigint] {
  const [, ms, seq] = ENTRY_ID.exec(id) ?? [];
  if (ms === undefined || seq === undefined) throw new Error(`not a stream entry id: "${id}"`);
  return [BigInt(ms), BigInt(seq)];
}

/** < 0 when `a` comes before `b` in a stream, 0 when equal, > 0 after. */
export function compareEntryIds(a: string, b: string): number {
  const [aMs, aSeq] = parts(a);
  const [bMs, bSeq] = parts(b);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

export function isAfter(a: string, b: string | null): boolean {
  return b === null || compareEntryIds(a, b) > 0;
}

const MAX_SEQ = 18_446_744_073_709_551_615n;

/** The greatest id before `id`: an XREAD cursor that returns `id` itself first. */
export function entryIdBefore(id: string): string {
  const [ms, seq] = parts(id);
  if (seq > 0n) return `${ms}-${seq - 1n}`;
  if (ms > 0n) return `${ms - 1n}-${MAX_SEQ}`;
  return '0-0';
}

