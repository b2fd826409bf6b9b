// Lint, and above all the layer table of docs/ARCHITECTURE.md § Layers: the folder a file sits in says
// what it may import (VS Code's code-layering idea). test/unit/layering.test.ts proves each
// rule still bites.
//
// no-restricted-imports matches an import as written, not as resolved, so every folder rule
// is spelled as the relative path that reaches the folder from where the file sits:
// main/batch/x.ts reaches main/pass as '../pass' (or '../../main/pass'), main/batch/a/x.ts as
// '../../pass'. That is why each layer gets one config per depth below it: a subfolder that
// happens to be called `pass` or `http` inside a layer is not mistaken for the layer.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const SOURCE_EXTENSIONS = '{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const SOURCES = `**/*.${SOURCE_EXTENSIONS}`;
/** Deeper than this below a layer's folder, a looser pattern (any number of '../') takes over. */
const MAX_DEPTH = 6;

// ---- what may not be imported, by package name ----------------------------------------------

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const packagesPattern = (names) => `^(?:${names.map(escape).join('|')})(?:/|$)`;

const ELECTRON = {
  regex: packagesPattern(['electron']),
  message: 'Only main/electron/ imports electron: everything else runs and is tested under plain Node.',
};
const ELECTRON_VALUES = { ...ELECTRON, allowTypeImports: true };
const REACT = {
  regex: packagesPattern(['react', 'react-dom']),
  message: 'React belongs to renderer/ only.',
};
const NODE = {
  regex: `^node:|${packagesPattern(builtinModules.filter((name) => !name.includes('/')))}`,
  message: 'The renderer has no Node: it runs sandboxed in Electron and in a plain browser against `pass-batch serve`.',
};
const DATABASE = {
  regex: packagesPattern(['better-sqlite3', 'mysql2', 'kysely', 'piscina']),
  message: 'The renderer reaches data only through the service bridge.',
};

// ---- what may not be imported, by folder -----------------------------------------------------

/**
 * The pattern for a file `depth` folders below `layer` importing anything under `target`
 * (both relative to the repo root, e.g. 'main/batch' and 'main/pass').
 */
function folderPattern(layer, target, depth, { except, file, ...extra } = {}) {
  const from = layer.split('/');
  const to = target.split('/');
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  const rest = to.slice(common).join('/');
  const spellings =
    depth === undefined
      ? // Too deep to count: any climb that lands in the target (or in a folder of the same name).
        [`(?:\\.\\./)+(?:${to.map((_, i) => escape(to.slice(i).join('/'))).join('|')})`]
      : [
          `(?:\\.\\./){${from.length - common + depth}}${escape(rest)}`, // the short way: '../pass'
          `(?:\\.\\./){${from.length + depth}}${escape(target)}`, // through the root: '../../main/pass'
        ];
  // `except`: a path below the target that stays allowed; `file`: the target is one module (x or x.ts)
  const tail = file ? '(?:\\.ts)?$' : except ? `(?:/(?!${escape(except)}(?:\\.ts)?$)|$)` : '(?:/|$)';
  return {
    regex: `^(?:\\./)?(?:${spellings.join('|')})${tail}`,
    message: `${layer}/ may not import ${target}/ (docs/ARCHITECTURE.md § Layers).`,
    ...extra,
  };
}

// The table. `typeOnly` folders may still be imported with `import type`.
const LAYERS = {
  'main/batch': {
    folders: ['main/pass', 'main/service', 'main/app', 'main/http', 'main/cli', 'main/electron', 'renderer', 'workers'],
    packages: [ELECTRON, REACT],
  },
  'main/pass': {
    folders: ['main/service', 'main/app', 'main/http', 'main/cli', 'main/electron', 'renderer', 'workers'],
    packages: [ELECTRON, REACT],
  },
  'main/service': {
    folders: ['main/app', 'main/http', 'main/cli', 'main/electron', 'renderer'],
    packages: [ELECTRON, REACT],
  },
  // The one composition root (database, migrations, engine, scheduler, service): the three
  // transports and bin/start.mjs stand on it, so it imports neither a transport nor electron.
  'main/app': {
    folders: ['main/http', 'main/cli', 'main/electron', 'renderer', 'workers'],
    packages: [ELECTRON, REACT],
  },
  // The three transports each sit on the service and the composition root, never on one another.
  // The two that serve people (HTTP, the Electron shell) reach the engine and the domain only
  // through them (the engine's types excepted); the command line is an operator's tool, like
  // Spring Batch's CommandLineJobRunner, and may use the engine (its changes are audited).
  'main/http': { folders: ['main/cli', 'main/electron', 'main/pass'], typeOnly: ['main/batch'], packages: [ELECTRON] },
  'main/cli': { folders: ['main/http', 'main/electron'], packages: [ELECTRON] },
  'main/electron': { folders: ['main/http', 'main/cli', 'main/pass'], typeOnly: ['main/batch'], packages: [] },
  workers: {
    folders: ['renderer', 'main/service', 'main/app', 'main/http', 'main/cli', 'main/electron'],
    packages: [ELECTRON],
  },
  // The screens know main/ by the service contract's types alone: not the preload's, not the engine's.
  renderer: {
    folders: ['workers', 'db'],
    contractOnly: { folder: 'main', file: 'main/service/contract' },
    packages: [ELECTRON, NODE, DATABASE],
  },
};

function layerConfigs(layer, { folders, typeOnly = [], contractOnly, packages }) {
  const configs = [];
  for (let depth = 0; depth <= MAX_DEPTH + 1; depth++) {
    const exact = depth <= MAX_DEPTH;
    const patterns = [
      ...packages,
      ...folders.map((target) => folderPattern(layer, target, exact ? depth : undefined)),
      ...(contractOnly
        ? [
            folderPattern(layer, contractOnly.folder, exact ? depth : undefined, {
              except: contractOnly.file.slice(contractOnly.folder.length + 1),
              message: `${layer}/ may import only types from ${contractOnly.file}.ts of ${contractOnly.folder}/ (docs/ARCHITECTURE.md § Layers).`,
            }),
            folderPattern(layer, contractOnly.file, exact ? depth : undefined, {
              file: true,
              allowTypeImports: true,
              message: `${layer}/ may import ${contractOnly.file}.ts only with \`import type\` (docs/ARCHITECTURE.md § Layers).`,
            }),
          ]
        : []),
      ...typeOnly.map((target) =>
        folderPattern(layer, target, exact ? depth : undefined, {
          allowTypeImports: true,
          message: `${layer}/ may import ${target}/ only with \`import type\` (docs/ARCHITECTURE.md § Layers).`,
        }),
      ),
    ];
    configs.push({
      name: `layering/${layer}${exact ? ` depth ${depth}` : ' deeper'}`,
      files: [`${layer}/${exact ? '*/'.repeat(depth) : `${'*/'.repeat(depth)}**/`}*.${SOURCE_EXTENSIONS}`],
      rules: restrict(patterns),
    });
  }
  return configs;
}

function restrict(patterns) {
  const options = { patterns };
  return {
    'no-restricted-imports': ['error', options],
    'layering/no-restricted-dynamic-imports': ['error', options],
  };
}

// no-restricted-imports does not look at `import('...')`; this applies the same patterns to it.
const layeringPlugin = {
  rules: {
    'no-restricted-dynamic-imports': {
      meta: {
        type: 'problem',
        docs: { description: "Applies no-restricted-imports' regex patterns to dynamic import()." },
        schema: false,
        messages: { restricted: "'{{source}}' import is restricted from being used. {{message}}" },
      },
      create(context) {
        const patterns = (context.options[0]?.patterns ?? []).map((pattern) => ({
          regex: new RegExp(pattern.regex, pattern.caseSensitive ? 'u' : 'iu'),
          message: pattern.message ?? '',
        }));
        return {
          ImportExpression(node) {
            const { source } = node;
            const name =
              source.type === 'Literal'
                ? source.value
                : source.type === 'TemplateLiteral' && source.expressions.length === 0
                  ? source.quasis[0].value.cooked
                  : undefined;
            if (typeof name !== 'string') return;
            const hit = patterns.find((pattern) => pattern.regex.test(name.trim()));
            if (hit) context.report({ node, messageId: 'restricted', data: { source: name, message: hit.message } });
          },
        };
      },
    },
  },
};

export default defineConfig(
  {
    name: 'ignores',
    ignores: ['out/', 'dist/', 'node_modules/', 'coverage/', 'test-results/', '.scratch/', 'bench/results/'],
  },
  { name: 'layering/plugin', plugins: { layering: layeringPlugin } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'project',
    files: [SOURCES],
    rules: {
      // Kysely<any> is deliberate where a table's columns are not worth a type.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // With verbatimModuleSyntax, `import { type A } from 'x'` still loads 'x' at run time;
      // `import type { A }` does not, and is what the renderer's type-only rule allows.
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    name: 'node scripts',
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // Everywhere not in the table: db/, bin/, bench/, root files, any other folder of main/.
  { name: 'layering/everywhere', files: [SOURCES], rules: restrict([ELECTRON]) },
  // Tests mock electron (vi.mock) and may borrow its types, never load it.
  { name: 'layering/test', files: [`test/**/*.${SOURCE_EXTENSIONS}`], rules: restrict([ELECTRON_VALUES]) },
  ...Object.entries(LAYERS).flatMap(([layer, rules]) => layerConfigs(layer, rules)),
);
