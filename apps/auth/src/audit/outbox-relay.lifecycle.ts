import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxRelay } from '@trading/streams';
import { DataSource } from 'typeorm';

/** Runs auth's outbox relay (audit events to `events:audit`) for the life of the service. */
export class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, redisUrl: string, namespace: string) {
    this.relay = new OutboxRelay({ dataSource, schema: 'auth', redisUrl, namespace });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
