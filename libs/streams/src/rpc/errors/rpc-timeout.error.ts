/** No answer within the timeout: the request may or may not have been handled. */
export class RpcTimeoutError extends Error {
  constructor(
    readonly pattern: string,
    readonly timeoutMs: number,
  ) {
    super(`${pattern} did not answer within ${timeoutMs} ms`);
    this.name = RpcTimeoutError.name;
  }
}
