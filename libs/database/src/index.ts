export * from './database-url';
export * from './ensure-database';
export * from './snake-naming.strategy';
export * from './service-database';
export * from './migration-command';
export * from './definition-drift';
export * from './time-id-cursor';
export * from './keyset-page';
