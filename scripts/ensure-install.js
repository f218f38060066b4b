#!/usr/bin/env node
'use strict';
// Installs dependencies when node_modules is missing or older than package-lock.json,
// so every npm script works on a fresh clone with nothing but Node and npm.
const fs = require('node:fs');
const path = require('node:path');
const { execSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const stale = !fs.existsSync(marker) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs + 1000);
if (stale) {
  console.log('node_modules missing or out of date: installing');
  try {
    execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  } catch {
    // A registry mirror without other platforms' optional binaries makes npm ci refuse the lock file.
    execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  }
}
