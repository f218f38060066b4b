import { BaseRpcContext } from '@nestjs/microservices';

type ContextArgs = [stream: string, entryId: string, deliveries: number, consumer: string];

/** What `@Ctx()` gives a stream handler: where the message came from and how often it was delivered. */
export class RedisStreamsContext extends BaseRpcContext<ContextArgs> {
  getStream(): string {
    return this.args[0];
  }

  getEntryId(): string {
    return this.args[1];
  }

  /** 1 on the first attempt; a handler may use it to log or to skip side effects on retries. */
  getDeliveries(): number {
    return this.args[2];
  }

  getConsumer(): string {
    return this.args[3];
  }
}
