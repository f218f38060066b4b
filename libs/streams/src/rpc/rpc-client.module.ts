import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { RpcClient, RpcClientOptions } from './rpc.client';

class RpcClientLifecycle implements OnApplicationShutdown {
  constructor(private readonly client: RpcClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/** Provides RpcClient (for the gateway) and closes it on shutdown. */
@Module({})
export class RpcClientModule {
  static register(options: RpcClientOptions): DynamicModule {
    return {
      module: RpcClientModule,
      global: true,
      providers: [
        { provide: RpcClient, useFactory: () => new RpcClient(options) },
        { provide: RpcClientLifecycle, useFactory: (client: RpcClient) => new RpcClientLifecycle(client), inject: [RpcClient] },
      ],
      exports: [RpcClient],
    };
  }
}
