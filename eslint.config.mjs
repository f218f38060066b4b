import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const scopes = ['api-gateway', 'auth', 'market-data', 'strategy', 'trading-engine', 'risk', 'analytics', 'cli'];

// What kind of project may use what. Tests may additionally use the testing library.
const typeConstraints = (forTests) => [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:contracts', 'type:testing'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:contracts', ...(forTests ? ['type:testing'] : [])] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', ...(forTests ? ['type:testing'] : [])] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', ...(forTests ? ['type:testing', 'type:util'] : [])] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:util', 'type:domain', 'type:contracts'] },
];
// Shared libraries never reach into a service; a service only into itself and shared code.
const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ...scopes.map((s) => ({ sourceTag: `scope:${s}`, onlyDependOnLibsWithTags: [`scope:${s}`, 'scope:shared'] })),
];
const boundaries = (forTests) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints: [...typeConstraints(forTests), ...scopeConstraints] },
];

export default [
  { ignores: ['dist/**', 'node_modules/**', '.local/**', '.nx/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.fixture.ts', '**/__fixtures__/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(true),
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
