#!/usr/bin/env node
'use strict';
// Compiles apps/*/src and libs/*/src (TypeScript) to dist/ with SWC, keeping the
// folder layout; path aliases become relative requires so `node dist/...` runs
// without any loader. Only files newer than their output are recompiled.
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');
const { root, swcOptions } = require('./swc-options');

const quiet = process.argv.includes('--quiet');
const outRoot = path.join(root, 'dist');
const sourceDirs = ['apps', 'libs'].flatMap((top) =>
  fs.readdirSync(path.join(root, top)).map((name) => path.join(root, top, name, 'src')),
);
const isTest = (f) => /\.(spec|int-spec)\.ts$/.test(f) || f.includes(`${path.sep}__fixtures__${path.sep}`);

function* walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

const options = swcOptions();
let compiled = 0;
let copied = 0;
const started = Date.now();
for (const dir of sourceDirs) {
  for (const file of walk(dir)) {
    const rel = path.relative(root, file);
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
      if (isTest(file)) continue;
      const out = path.join(outRoot, rel.replace(/\.ts$/, '.js'));
      const srcTime = fs.statSync(file).mtimeMs;
      if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= srcTime) continue;
      const result = swc.transformFileSync(file, { ...options, filename: file, sourceFileName: path.relative(path.dirname(out), file) });
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, result.code + `\n//# sourceMappingURL=${path.basename(out)}.map\n`);
      if (result.map) fs.writeFileSync(`${out}.map`, result.map);
      compiled++;
    } else if (/\.(json|sql|csv|html)$/.test(file)) {
      const out = path.join(outRoot, rel);
      if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(file).mtimeMs) continue;
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.copyFileSync(file, out);
      copied++;
    }
  }
}
if (!quiet) console.log(`build: ${compiled} compiled, ${copied} copied into dist/ in ${Date.now() - started} ms`);
