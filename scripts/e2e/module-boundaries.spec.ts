import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * The Nx module-boundary rule is real: lint fails on an app importing another app, on a shared
 * library reaching into a kind of project it may not use, and passes on an import by alias.
 * (The project graph it reads is computed by scripts/project-graph.js, run by `npm test`.)
 */
const root = path.resolve(__dirname, '../..');

function lint(filePath: string, code: string): string[] {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', filePath, '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (!result.stdout) throw new Error(`eslint produced no report: ${result.stderr}`);
  const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return report.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it('refuses an app importing another app', () => {
    const errors = lint('apps/risk/src/boundary-fixture.ts', "import { AuthAppModule } from '../../auth/src/app.module';\nexport const leaked = AuthAppModule;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Projects cannot be imported by a relative or absolute path/);
  });

  it('refuses a domain library depending on the testing library', () => {
    const errors = lint('libs/indicators/src/boundary-fixture.ts', "import { freePort } from '@trading/testing';\nexport const leaked = freePort;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/tagged with "type:domain" can only depend on libs tagged with/);
  });

  it('refuses a contracts library depending on a util library', () => {
    const errors = lint('libs/contracts/src/boundary-fixture.ts', "import { redactSecrets } from '@trading/observability';\nexport const leaked = redactSecrets;\n");
    expect(errors).toHaveLength(1);
  });

  it('accepts an app importing a shared library through its alias', () => {
    expect(lint('apps/risk/src/boundary-fixture.ts', "import { Streams } from '@trading/contracts';\nexport const ok = Streams;\n")).toEqual([]);
  });
});
