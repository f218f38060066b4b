export * from './rpc-caller';
export * from './access-token';
