'use strict';
// One place for the SWC settings shared by the build (scripts/build.js) and jest.
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));

function swcOptions({ sourceMaps = true } = {}) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root,
      paths: tsconfig.compilerOptions.paths,
    },
    module: { type: 'commonjs', ignoreDynamic: false },
    sourceMaps,
  };
}

module.exports = { root, swcOptions, paths: tsconfig.compilerOptions.paths };
