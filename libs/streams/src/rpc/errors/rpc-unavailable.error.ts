/** The request could not be delivered: Redis unreachable, or no instance of the service listening. */
export class RpcUnavailableError extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`${pattern} is unavailable: ${reason}`);
    this.name = RpcUnavailableError.name;
  }
}
