import { EventEmitter } from 'node:events';

/**
 * Secrets never reach a log line: any key that looks like a credential is replaced,
 * at any depth. Matching is by key name, case-insensitive.
 */
const SECRET_KEY = /(pass(word|phrase)?|secret|token|api[-_]?key|authorization|cookie|private[-_]?key|otp|totp)/i;
export const REDACTED = '[REDACTED]';

/** Verdicts per key name: log objects reuse a small set of keys, so the pattern runs once per name. */
const verdicts = new Map<string, boolean>();
const MAX_REMEMBERED_KEYS = 10_000;

export function isSecretKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = SECRET_KEY.test(key);
    if (verdicts.size < MAX_REMEMBERED_KEYS) verdicts.set(key, verdict);
  }
  return verdict;
}

/**
 * The value with every credential-like key's value replaced by REDACTED, at any depth (up to 8 levels).
 * The input is never changed; an object without secrets is returned as it is (no copy: this runs on
 * every log line).
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  if (value instanceof Error) return value;
  // Sockets, requests, responses, streams, clients: not data. pino runs this before its serializers, which
  // reduce an http request or response to a few safe fields; walking one would visit thousands of properties.
  if (value instanceof EventEmitter) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const inner: unknown = value[i];
      const redacted = redactSecrets(inner, depth + 1);
      if (redacted !== inner) (out ??= value.slice())[i] = redacted;
    }
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | null = null;
  const source = value as Record<string, unknown>;
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    const inner = source[key];
    const redacted = isSecretKey(key) && inner !== undefined && inner !== null ? REDACTED : redactSecrets(inner, depth + 1);
    if (redacted !== inner) (out ??= { ...source })[key] = redacted;
  }
  return (out ?? value) as T;
}

/** Mask a credential for display: first and last 4 characters only. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '****';
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}
