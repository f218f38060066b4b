// Two-key advisory locks: (hashtext(<purpose>), hashtext(<schema>)) so every service's outbox has its own.
export const WRITER_LOCK_CLASS = 'trading.outbox.writer';
export const RELAY_LOCK_CLASS = 'trading.outbox.relay';

/** LISTEN/NOTIFY channel the writer signals on commit; channel names are identifiers, so keep it simple. */
export function outboxChannel(schema: string): string {
  return `outbox_${schema.toLowerCase()}`;
}
