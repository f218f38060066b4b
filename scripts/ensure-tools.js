#!/usr/bin/env node
'use strict';
/**
 * Installs the extra servers the test suite talks to, from Debian's packages, when missing:
 *   victoria-metrics  a real server accepting InfluxDB v2 writes (/api/v2/write) for the metrics tests.
 * redis-server (for restart tests) comes with the Redis the tests already need.
 * Needs root (apt-get) on a fresh machine; prints the command otherwise.
 */
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const TOOLS = [{ binary: '/usr/bin/victoria-metrics', pkg: 'victoria-metrics' }];

function aptInstall(pkgs) {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!asRoot) {
    console.error(`missing: ${pkgs.join(' ')}; install with: sudo apt-get install -y ${pkgs.join(' ')}`);
    return false;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  if (result.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  }
  return result.status === 0;
}

const missing = TOOLS.filter((t) => !fs.existsSync(t.binary)).map((t) => t.pkg);
if (missing.length && !aptInstall(missing)) process.exit(1);
