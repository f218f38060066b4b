#!/usr/bin/env node
'use strict';
// `npm test [-- jest args]`: ensures PostgreSQL and Redis (and the extra test servers of
// scripts/ensure-tools.js), builds dist/ (integration tests spawn
// the built services), computes the Nx project graph (the lint-boundary test needs it), runs jest.
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureServices } = require('./ensure-services');

const root = path.resolve(__dirname, '..');

function run(cmd, args, env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

ensureServices()
  .then((services) => {
    // Suites run in parallel and each starts several services: small pools keep PostgreSQL (often
    // max_connections = 100) from running out of connections.
    const env = { DATABASE_POOL_SIZE: '4', ...process.env, ...services, TZ: 'UTC', NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
    run(process.execPath, [path.join(root, 'scripts/ensure-tools.js')], env);
    run(process.execPath, [path.join(root, 'scripts/build.js')], env);
    run(process.execPath, [path.join(root, 'scripts/project-graph.js')], env);
    run(process.execPath, [require.resolve('jest/bin/jest'), '--maxWorkers=2', ...process.argv.slice(2)], env);
  })
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
