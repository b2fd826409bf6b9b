// docs/ARCHITECTURE.md § Layers, as lint: each rule of the table is tried against eslint.config.js with
// a file that breaks it (must be an error) and one that keeps it (must be clean). The table
// here is written out on its own, not read from the config, so a config that stops
// enforcing a rule fails this test.
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const LAYERING_RULES = ['no-restricted-imports', 'layering/no-restricted-dynamic-imports'];

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });
});

async function lint(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages;
}

async function layeringErrors(file: string, code: string) {
  const messages = await lint(file, code);
  // Anything else wrong with the snippet would make a "no error" case pass for the wrong reason.
  expect(messages.filter((m) => !LAYERING_RULES.includes(m.ruleId ?? ''))).toEqual([]);
  return messages.filter((m) => m.severity === 2);
}

const valueImport = (from: string) => `import { thing } from '${from}';\nexport const used = thing;\n`;
const typeImport = (from: string) => `import type { Thing } from '${from}';\nexport type Used = Thing;\n`;
const dynamicImport = (from: string) => `export const load = () => import('${from}');\n`;

/** How a file in `file`'s folder spells an import of `folder/x.ts`. */
function toFolder(file: string, folder: string): string {
  const path = posix.relative(posix.dirname(file), `${folder}/x.ts`);
  return path.startsWith('.') ? path : `./${path}`;
}
/** The same import, spelled through the repo root: '../../main/pass/x.ts'. */
function throughRoot(file: string, folder: string): string {
  return `${'../'.repeat(posix.dirname(file).split('/').length)}${folder}/x.ts`;
}

// Who may not import which folder: docs/ARCHITECTURE.md § Layers, and the brief that turned it into lint.
const FORBIDDEN_FOLDERS: Record<string, string[]> = {
  'main/batch': ['main/pass', 'main/service', 'main/app', 'main/http', 'main/cli', 'main/electron', 'renderer', 'workers'],
  'main/pass': ['main/service', 'main/app', 'main/http', 'main/cli', 'main/electron', 'renderer', 'workers'],
  'main/service': ['main/app', 'main/http', 'main/cli', 'main/electron', 'renderer'],
  'main/app': ['main/http', 'main/cli', 'main/electron', 'renderer', 'workers'],
  'main/http': ['main/cli', 'main/electron', 'main/pass', 'main/batch'],
  'main/cli': ['main/http', 'main/electron'],
  'main/electron': ['main/http', 'main/cli', 'main/pass', 'main/batch'],
  workers: ['renderer', 'main/service', 'main/app', 'main/http', 'main/cli', 'main/electron'],
};
const FORBIDDEN_PACKAGES: Record<string, string[]> = {
  'main/batch': ['electron', 'react', 'react-dom/client'],
  'main/pass': ['electron', 'react', 'react-dom'],
  'main/service': ['electron', 'react', 'react/jsx-runtime'],
  'main/app': ['electron', 'react'],
  'main/http': ['electron'],
  'main/cli': ['electron'],
  workers: ['electron'],
  renderer: [
    'node:fs',
    'node:path',
    'fs',
    'fs/promises',
    'path',
    'os',
    'child_process',
    'worker_threads',
    'crypto',
    'better-sqlite3',
    'mysql2',
    'mysql2/promise',
    'kysely',
    'piscina',
    'electron',
    'electron/renderer',
  ],
  db: ['electron'],
  bench: ['electron'],
  bin: ['electron'],
  'main/shared': ['electron'], // a folder of main/ the table does not name still keeps electron out
};
const ALLOWED: Array<[file: string, from: string]> = [
  ['main/batch/x.ts', 'node:fs'],
  ['main/batch/x.ts', 'kysely'],
  ['main/batch/x.ts', 'better-sqlite3'],
  ['main/batch/x.ts', './database/connection.ts'],
  ['main/batch/step/x.ts', '../database/connection.ts'],
  // A subfolder of main/batch that happens to be called `pass` is not main/pass.
  ['main/batch/database/x.ts', '../pass/x.ts'],
  ['main/pass/x.ts', '../batch/job.ts'],
  ['main/pass/jobs/x.ts', '../../batch/job.ts'],
  ['main/service/x.ts', '../batch/job.ts'],
  ['main/service/x.ts', '../pass/jobs.ts'],
  ['main/http/x.ts', '../service/index.ts'],
  ['main/cli/x.ts', '../service/index.ts'],
  ['main/cli/commands/x.ts', '../../batch/job.ts'],
  ['main/cli/x.ts', '../pass/demo/demoGym.ts'],
  ['main/electron/x.ts', '../service/index.ts'],
  ['main/electron/x.ts', 'electron'],
  // the one composition root composes the engine, the domain and the service; every shell stands on it
  ['main/app/x.ts', '../service/service.ts'],
  ['main/app/x.ts', '../batch/index.ts'],
  ['main/app/x.ts', '../pass/demo/demoGym.ts'],
  ['main/app/x.ts', '../../db/migrations/index.ts'],
  ['main/app/x.ts', 'node:os'],
  ['main/electron/x.ts', '../app/console.ts'],
  ['main/http/x.ts', '../app/console.ts'],
  ['main/cli/x.ts', '../app/runtime.ts'],
  ['bin/x.mjs', '../main/app/console.ts'],
  ['workers/x.ts', '../main/batch/job.ts'],
  ['workers/x.ts', '../main/pass/jobs.ts'],
  ['renderer/src/x.ts', 'react'],
  ['renderer/src/x.ts', 'react-dom/client'],
  ['renderer/src/x.ts', './App.tsx'],
  ['test/unit/x.test.ts', '../../main/electron/main.ts'],
  ['test/unit/x.test.ts', '../../main/batch/job.ts'],
  ['electron.vite.config.ts', 'electron-vite'],
];

describe('eslint.config.js enforces docs/ARCHITECTURE.md § Layers', () => {
  describe('folders a layer may not import', () => {
    const cases = Object.entries(FORBIDDEN_FOLDERS).flatMap(([layer, targets]) =>
      targets.flatMap((target) => [
        [`${layer}/x.ts`, toFolder(`${layer}/x.ts`, target)],
        [`${layer}/sub/x.ts`, toFolder(`${layer}/sub/x.ts`, target)],
        [`${layer}/x.ts`, throughRoot(`${layer}/x.ts`, target)],
        [`${layer}/a/b/c/d/e/f/g/x.ts`, toFolder(`${layer}/a/b/c/d/e/f/g/x.ts`, target)],
      ]),
    );
    it.each(cases)('%s importing %s → error', async (file, from) => {
      const errors = await layeringErrors(file, valueImport(from));
      expect(errors.map((e) => e.ruleId)).toEqual(['no-restricted-imports']);
    });
  });

  describe('packages a layer may not import', () => {
    const cases = Object.entries(FORBIDDEN_PACKAGES).flatMap(([layer, names]) =>
      names.map((name) => [`${layer}/${layer === 'bin' ? 'x.mjs' : 'x.ts'}`, name]),
    );
    it.each(cases)('%s importing %s → error', async (file, from) => {
      const errors = await layeringErrors(file, valueImport(from));
      expect(errors.map((e) => e.ruleId)).toEqual(['no-restricted-imports']);
    });
  });

  it.each([
    ['main/cli/x.ts', '../http/server.ts'],
    ['main/batch/x.ts', 'electron'],
    ['renderer/src/x.ts', 'node:fs'],
    ['renderer/src/x.ts', '../../main/service/index.ts'],
    ['main/app/x.ts', '../http/serve.ts'],
  ])('%s importing %s with import() → error', async (file, from) => {
    const errors = await layeringErrors(file, dynamicImport(from));
    expect(errors.map((e) => e.ruleId)).toEqual(['layering/no-restricted-dynamic-imports']);
  });

  it.each(ALLOWED)('%s importing %s → ok', async (file, from) => {
    expect(await layeringErrors(file, valueImport(from))).toEqual([]);
  });

  it('a clean file has no problems at all', async () => {
    const code = [
      "import { join } from 'node:path';",
      "import type { Database } from './database/connection.ts';",
      '',
      'export function where(db: Database, _unused: number): string {',
      '  return join(db.displayUrl, "x");',
      '}',
      '',
    ].join('\n');
    expect(await lint('main/batch/clean.ts', code)).toEqual([]);
  });

  describe('renderer: the service contract, by type only', () => {
    it('`import type` from main/service/contract → ok', async () => {
      expect(await layeringErrors('renderer/src/x.ts', typeImport('../../main/service/contract.ts'))).toEqual([]);
      expect(await layeringErrors('renderer/src/screens/x.tsx', typeImport('../../../main/service/contract.ts'))).toEqual([]);
      expect(await layeringErrors('renderer/src/screens/x.tsx', typeImport('../../../main/service/contract'))).toEqual([]);
    });

    it('a value import from the contract → error', async () => {
      const errors = await layeringErrors('renderer/src/x.ts', valueImport('../../main/service/contract.ts'));
      expect(errors.map((e) => e.ruleId)).toEqual(['no-restricted-imports']);
    });

    it.each([
      '../../main/service/api.ts',
      '../../main/service/contracts.ts',
      '../../main/electron/preload.ts',
      '../../main/batch/index.ts',
      '../../main/app/console.ts',
    ])('a type from anywhere else in main/ (%s) → error', async (from) => {
      const errors = await layeringErrors('renderer/src/x.ts', typeImport(from));
      expect(errors.map((e) => e.ruleId)).toEqual(['no-restricted-imports']);
    });

    it('`import { type X }` → error: under verbatimModuleSyntax it still loads the module', async () => {
      const messages = await lint(
        'renderer/src/x.ts',
        "import { type Thing } from '../../main/service/contract.ts';\nexport type Used = Thing;\n",
      );
      expect(messages.map((m) => m.ruleId)).toEqual(['@typescript-eslint/no-import-type-side-effects']);
    });

    it('not even a type from node or electron', async () => {
      for (const from of ['node:fs', 'electron']) {
        const errors = await layeringErrors('renderer/src/x.ts', typeImport(from));
        expect(errors.map((e) => e.ruleId)).toEqual(['no-restricted-imports']);
      }
    });
  });

  it.each([
    ['main/electron/x.ts', '../batch/index.ts'],
    ['main/http/x.ts', '../batch/index.ts'],
  ])("%s may borrow the engine's types from %s", async (file, from) => {
    expect(await layeringErrors(file, typeImport(from))).toEqual([]);
  });

  describe('tests mock electron', () => {
    it('may borrow its types', async () => {
      expect(await layeringErrors('test/unit/x.test.ts', typeImport('electron'))).toEqual([]);
    });
    it('may not load it', async () => {
      const errors = await layeringErrors('test/unit/x.test.ts', valueImport('electron'));
      expect(errors.map((e) => e.ruleId)).toEqual(['no-restricted-imports']);
    });
  });

  it('a layer may not borrow even types across the table', async () => {
    const errors = await layeringErrors('main/batch/x.ts', typeImport('../pass/jobs.ts'));
    expect(errors.map((e) => e.ruleId)).toEqual(['no-restricted-imports']);
  });
});
