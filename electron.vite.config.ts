// Three builds into out/: main (the Electron entry), preload (the sandboxed bridge) and
// renderer (the React screens). None of them needs the Electron binary to build.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Vite bundles this file before running it; import.meta.url still names the original.
const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  main: {
    build: {
      // Every package in "dependencies" stays a require at run time: native modules
      // (better-sqlite3), drivers (mysql2), Piscina's worker files and Kysely are loaded
      // from node_modules, never bundled. This is electron-vite 5's default; said here on purpose.
      externalizeDeps: true,
      rollupOptions: {
        // out/main/index.js, which package.json's "main" names.
        input: { index: resolve(root, 'main/electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(root, 'main/electron/preload.ts') },
        // A sandboxed preload must be CommonJS; .cjs because the package is "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves the renderer unminified; `serve` sends it over the network too.
      minify: 'esbuild',
      rollupOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  },
});
