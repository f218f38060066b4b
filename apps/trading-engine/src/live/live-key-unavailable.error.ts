/** Why the engine has no usable exchange key for a live order. */
export type LiveKeyProblem =
  'no_internal_token' | 'no_api_key' | 'key_not_found' | 'key_inactive' | 'key_mismatch' | 'auth_unavailable';

/** The decrypted key could not be obtained (or is not the bot's): nothing is sent. Never carries key material. */
export class LiveKeyUnavailableError extends Error {
  constructor(
    readonly problem: LiveKeyProblem,
    message: string,
  ) {
    super(message);
    this.name = 'LiveKeyUnavailableError';
  }
}
