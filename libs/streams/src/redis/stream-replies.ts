/** One entry as read from a stream; `fields` is null when the entry was trimmed while pending. */
export interface RawStreamEntry {
  id: string;
  fields: string[] | null;
}

type XReadReply = [key: string, entries: [id: string, fields: string[] | null][]][] | null;

export function parseReadReply(reply: unknown): Map<string, RawStreamEntry[]> {
  const byKey = new Map<string, RawStreamEntry[]>();
  for (const [key, entries] of (reply as XReadReply) ?? []) {
    byKey.set(
      key,
      entries.map(([id, fields]) => ({ id, fields })),
    );
  }
  return byKey;
}

export interface AutoClaimReply {
  cursor: string;
  entries: RawStreamEntry[];
  deletedIds: string[];
}

export function parseAutoClaimReply(reply: unknown): AutoClaimReply {
  const [cursor, entries, deletedIds] = reply as [string, ([string, string[] | null] | null)[], string[] | undefined];
  return {
    cursor,
    entries: entries.filter((e): e is [string, string[] | null] => e !== null).map(([id, fields]) => ({ id, fields })),
    deletedIds: deletedIds ?? [],
  };
}

export function fieldValue(fields: string[] | null, name: string): string | undefined {
  if (!fields) return undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** XINFO GROUPS rows (flat key/value arrays) as objects. */
export function parseInfoRows(reply: unknown): Record<string, string | number | null>[] {
  return ((reply as unknown[][]) ?? []).map((row) => {
    const record: Record<string, string | number | null> = {};
    for (let i = 0; i + 1 < row.length; i += 2) record[String(row[i])] = row[i + 1] as string | number | null;
    return record;
  });
}

export function isNoGroupError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOGROUP');
}
