/** The service's shared ioredis connection (commands; never used for blocking reads). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
