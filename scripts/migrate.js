#!/usr/bin/env node
'use strict';
// `npm run migrate [-- up|down|status|drift]`: runs each owning service's migrations in turn
// (each service has its own schema, migrations folder and migrations table).
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const SERVICES = ['auth', 'market-data', 'strategy', 'trading-engine', 'risk', 'analytics'];
const command = process.argv[2] ?? 'up';
const order = command === 'down' ? [...SERVICES].reverse() : SERVICES;
let failed = false;
for (const service of order) {
  const entry = path.join(root, 'dist', 'apps', service, 'src', 'migrate.js');
  const result = spawnSync(process.execPath, [entry, command], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
