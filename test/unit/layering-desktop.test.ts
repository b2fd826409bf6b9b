// main/desktop/ (the desktop app's composition root) in the layer table of eslint.config.js:
// it may compose the engine, the pass domain and the service, but imports no transport and no
// electron, so the Electron shell and bin/start.mjs can both stand on it. Same method as
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

describe('eslint.config.js: main/desktop/', () => {
  it.each([
    ['main/desktop/x.ts', '../http/serve.ts'],
    ['main/desktop/x.ts', '../../main/http/serve.ts'],
    ['main/desktop/x.ts', '../cli/index.ts'],
    ['main/desktop/x.ts', '../electron/main.ts'],
    ['main/desktop/x.ts', '../../renderer/src/App.tsx'],
    ['main/desktop/sub/x.ts', '../../http/serve.ts'],
    ['main/desktop/sub/x.ts', '../../electron/ipc.ts'],
    ['main/desktop/x.ts', 'electron'],
    ['main/desktop/x.ts', 'react'],
  ])('%s importing %s → error', async (file, from) => {
    expect(await layeringErrors(file, valueImport(from))).toEqual(['no-restricted-imports']);
  });

  it('also with import()', async () => {
    expect(await layeringErrors('main/desktop/x.ts', dynamicImport('../http/serve.ts'))).toEqual(['layering/no-restricted-dynamic-imports']);
  });

  it.each([
    ['main/desktop/x.ts', '../service/service.ts'],
    ['main/desktop/x.ts', '../batch/index.ts'],
    ['main/desktop/x.ts', '../pass/demo/demoGym.ts'],
    ['main/desktop/x.ts', '../../db/migrations/index.ts'],
    ['main/desktop/x.ts', 'node:os'],
    // The shell and the start script stand on it.
    ['main/electron/x.ts', '../desktop/engine.ts'],
    ['bin/x.mjs', '../main/desktop/engine.ts'],
  ])('%s importing %s → ok', async (file, from) => {
    expect(await layeringErrors(file, valueImport(from))).toEqual([]);
  });
});
