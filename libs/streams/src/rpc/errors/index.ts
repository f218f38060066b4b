export * from './rpc-domain.error';
export * from './rpc-remote.error';
export * from './rpc-timeout.error';
export * from './rpc-unavailable.error';
