// How the Electron shell is built and packaged: electron-vite's outputs where main.ts looks for
// them, and electron-builder's configuration.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

// electron-builder loads `electron` as it reads its configuration: the binary isn't here.
const fake = await vi.hoisted(() => import('../support/fakeElectron.ts'));
vi.mock('electron', () => fake.electron);

describe('electron.vite.config.ts', () => {
  it('emits main and preload where main.ts looks for them', async () => {
    const { default: config } = (await import('../../electron.vite.config.ts')) as { default: any };
    expect(Object.keys(config.main.build.rollupOptions.input)).toEqual(['index']); // out/main/index.js
    expect(Object.keys(config.preload.build.rollupOptions.input)).toEqual(['index']);
    expect(config.preload.build.rollupOptions.output).toMatchObject({ format: 'cjs', entryFileNames: '[name].cjs' });
    expect(config.main.build.externalizeDeps).not.toBe(false);
  });
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema, with the installers and unpacked native/worker files the issue asks for", async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const yaml = require('js-yaml') as { load(text: string): any };
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    const config = yaml.load(readFileSync(fileURLToPath(new URL('../../electron-builder.yml', import.meta.url)), 'utf8'));
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();

    expect(config.win.target.map((t: any) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t: any) => t.target)).toEqual(['dmg']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/piscina/**', 'out/workers/**', 'out/native/**']));
    // node_modules is never rebuilt in place for Electron (the checkout's Node build stays), and
    // npm run dist stages Electron's build where asarUnpack ships it
    expect(config.npmRebuild).toBe(false);
    const { scripts } = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
    expect(scripts.dist).toMatch(/node bin\/native\.mjs --electron --install --stage out\/native && electron-builder /);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    const { APP_ID } = await import('../../main/electron/main.ts');
    expect(config.appId).toBe(APP_ID);
  });
});
