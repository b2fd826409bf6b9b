// main/app/ (the one composition root) in the layer table of eslint.config.js: it may compose
// the engine, the pass domain and the service, but imports no transport and no electron, so the
// Electron shell, `serve`, the command line and bin/start.mjs all stand on it; and nothing below
// it (the engine, the domain, the service, the workers) may reach up into it. Same method as
// layering.test.ts: a file that breaks the rule must be an error, one that keeps it clean.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const LAYERING_RULES = ['no-restricted-imports', 'layering/no-restricted-dynamic-imports'];

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });
});

async function layeringErrors(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  const messages = result!.messages;
  expect(messages.filter((m) => !LAYERING_RULES.includes(m.ruleId ?? ''))).toEqual([]);
  return messages.filter((m) => m.severity === 2).map((m) => m.ruleId);
}

const valueImport = (from: string) => `import { thing } from '${from}';\nexport const used = thing;\n`;
const dynamicImport = (from: string) => `export const load = () => import('${from}');\n`;

describe('eslint.config.js: main/app/', () => {
  it.each([
    ['main/app/x.ts', '../http/serve.ts'],
    ['main/app/x.ts', '../../main/http/serve.ts'],
    ['main/app/x.ts', '../cli/index.ts'],
    ['main/app/x.ts', '../electron/main.ts'],
    ['main/app/x.ts', '../../renderer/src/App.tsx'],
    ['main/app/sub/x.ts', '../../http/serve.ts'],
    ['main/app/sub/x.ts', '../../electron/ipc.ts'],
    ['main/app/x.ts', 'electron'],
    ['main/app/x.ts', 'react'],
  ])('%s importing %s → error', async (file, from) => {
    expect(await layeringErrors(file, valueImport(from))).toEqual(['no-restricted-imports']);
  });

  it.each([
    ['main/service/x.ts', '../app/runtime.ts'],
    ['main/service/x.ts', '../../main/app/console.ts'],
    ['main/batch/x.ts', '../app/runtime.ts'],
    ['main/pass/jobs/x.ts', '../../app/runtime.ts'],
    ['workers/x.ts', '../main/app/runtime.ts'],
  ])('%s reaching up into the composition root (%s) → error', async (file, from) => {
    expect(await layeringErrors(file, valueImport(from))).toEqual(['no-restricted-imports']);
  });

  it('also with import()', async () => {
    expect(await layeringErrors('main/app/x.ts', dynamicImport('../http/serve.ts'))).toEqual(['layering/no-restricted-dynamic-imports']);
  });

  it.each([
    ['main/app/x.ts', '../service/service.ts'],
    ['main/app/x.ts', '../batch/index.ts'],
    ['main/app/x.ts', '../pass/demo/demoGym.ts'],
    ['main/app/x.ts', '../../db/migrations/index.ts'],
    ['main/app/x.ts', 'node:os'],
    // The shell and the start script stand on it.
    ['main/electron/x.ts', '../app/console.ts'],
    ['bin/x.mjs', '../main/app/console.ts'],
  ])('%s importing %s → ok', async (file, from) => {
    expect(await layeringErrors(file, valueImport(from))).toEqual([]);
  });
});
