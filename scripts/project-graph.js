#!/usr/bin/env node
'use strict';
// Computes and caches the Nx project graph (projects and their tags), which the
// @nx/enforce-module-boundaries lint rule reads. Runs without the Nx daemon or cloud.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const result = spawnSync(process.execPath, [require.resolve('nx/bin/nx.js'), 'show', 'projects'], {
  cwd: root,
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  encoding: 'utf8',
});
if (result.status !== 0) {
  process.stderr.write(result.stderr || result.stdout);
  process.exit(result.status ?? 1);
}
