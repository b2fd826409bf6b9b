// The Electron shell under plain Node: `electron` is a mock (the binary can't be fetched
// here), so these tests check what main.ts asks of Electron and what preload.ts lets through.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../main/electron/channels.ts';
import type { PassConsoleBridge } from '../../main/electron/preload.ts';

type Listener = (...args: unknown[]) => unknown;

const electron = vi.hoisted(() => {
  const windows: FakeWindow[] = [];
  const appListeners = new Map<string, Listener>();

  class FakeWindow {
    readonly options: any;
    readonly webContents = { setWindowOpenHandler: vi.fn() };
    readonly once = vi.fn();
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly isMinimized = vi.fn(() => false);
    readonly isDestroyed = vi.fn(() => false);
    readonly loadFile = vi.fn(async () => undefined);
    readonly loadURL = vi.fn(async () => undefined);
    constructor(options: unknown) {
      this.options = options;
      windows.push(this);
    }
    static getAllWindows() {
      return windows;
    }
  }

  return {
    windows,
    appListeners,
    BrowserWindow: FakeWindow,
    app: {
      isPackaged: false,
      getName: vi.fn(() => 'pass-console'),
      getVersion: vi.fn(() => '9.8.7'),
      requestSingleInstanceLock: vi.fn(() => true),
      quit: vi.fn(),
      on: vi.fn((event: string, listener: Listener) => {
        appListeners.set(event, listener);
      }),
      whenReady: vi.fn(() => Promise.resolve()),
    },
    ipcMain: { handle: vi.fn() },
    ipcRenderer: { invoke: vi.fn(async () => 'answer from main') },
    contextBridge: { exposeInMainWorld: vi.fn() },
  };
});

vi.mock('electron', () => electron);

/** Lets `app.whenReady().then(...)` run. */
const settle = () => new Promise((done) => setTimeout(done, 0));

const mainFile = fileURLToPath(new URL('../../main/electron/main.ts', import.meta.url));

beforeEach(() => {
  vi.clearAllMocks();
  electron.windows.length = 0;
  electron.appListeners.clear();
  electron.app.isPackaged = false;
  electron.app.requestSingleInstanceLock.mockReturnValue(true);
  delete process.env.ELECTRON_RENDERER_URL;
});

describe('main/electron/main.ts', () => {
  it('does nothing on import outside Electron, so tests and tools can load it', async () => {
    await import('../../main/electron/main.ts');
    expect(electron.app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(electron.windows).toHaveLength(0);
  });

  it('creates a 1280×800 window, sandboxed and isolated, with the built preload', async () => {
    const { createMainWindow, PRELOAD_PATH } = await import('../../main/electron/main.ts');
    createMainWindow();

    expect(electron.windows).toHaveLength(1);
    const { options } = electron.windows[0]!;
    expect(options).toMatchObject({ width: 1280, height: 800 });
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      preload: PRELOAD_PATH,
    });
    expect(options.webPreferences.nodeIntegrationInWorker ?? false).toBe(false);
    expect(options.webPreferences.webSecurity ?? true).toBe(true);
    // Built, main.ts is out/main/index.js and the preload out/preload/index.cjs.
    expect(PRELOAD_PATH).toBe(resolve(dirname(mainFile), '../preload/index.cjs'));
    expect(options.webPreferences.additionalArguments).toEqual(['--pass-console-version=9.8.7']);
  });

  it('loads the built renderer, or the dev server when electron-vite dev names one', async () => {
    const { createMainWindow, RENDERER_INDEX } = await import('../../main/electron/main.ts');
    createMainWindow();
    expect(electron.windows[0]!.loadFile).toHaveBeenCalledWith(RENDERER_INDEX);
    expect(RENDERER_INDEX).toBe(resolve(dirname(mainFile), '../renderer/index.html'));
    expect(electron.windows[0]!.loadURL).not.toHaveBeenCalled();

    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    createMainWindow();
    expect(electron.windows[1]!.loadURL).toHaveBeenCalledWith('http://localhost:5173');

    // A packaged app never loads from a URL in its environment.
    electron.app.isPackaged = true;
    createMainWindow();
    expect(electron.windows[2]!.loadFile).toHaveBeenCalledWith(RENDERER_INDEX);
    expect(electron.windows[2]!.loadURL).not.toHaveBeenCalled();
  });

  it('refuses pop-up windows', async () => {
    const { createMainWindow } = await import('../../main/electron/main.ts');
    createMainWindow();
    const openHandler = electron.windows[0]!.webContents.setWindowOpenHandler.mock.calls[0]![0] as Listener;
    expect(openHandler({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('start(): one instance, one window once ready, a handler for every allowed channel', async () => {
    const { start } = await import('../../main/electron/main.ts');
    start();
    await settle();

    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(electron.windows).toHaveLength(1);
    const handled = electron.ipcMain.handle.mock.calls.map((call: unknown[]) => call[0]);
    expect(handled.sort()).toEqual([...INVOKE_CHANNELS].sort());

    const appInfo = electron.ipcMain.handle.mock.calls.find((call: unknown[]) => call[0] === 'app:info')![1] as Listener;
    expect(await appInfo({}, undefined)).toMatchObject({ name: 'pass-console', version: '9.8.7' });
  });

  it('start(): a second launch quits at once and opens nothing', async () => {
    electron.app.requestSingleInstanceLock.mockReturnValue(false);
    const { start } = await import('../../main/electron/main.ts');
    start();
    await settle();

    expect(electron.app.quit).toHaveBeenCalledOnce();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(electron.windows).toHaveLength(0);
  });

  it('start(): a second launch focuses the running window', async () => {
    const { start } = await import('../../main/electron/main.ts');
    start();
    await settle();
    electron.windows[0]!.isMinimized.mockReturnValue(true);

    electron.appListeners.get('second-instance')!();
    expect(electron.windows[0]!.restore).toHaveBeenCalled();
    expect(electron.windows[0]!.focus).toHaveBeenCalled();
  });

  describe('when the last window closes', () => {
    const platform = process.platform;
    afterEach(() => {
      Object.defineProperty(process, 'platform', { value: platform });
    });

    it.each([
      ['linux', true],
      ['win32', true],
      ['darwin', false],
    ])('on %s quits: %s', async (name, quits) => {
      Object.defineProperty(process, 'platform', { value: name });
      const { start } = await import('../../main/electron/main.ts');
      start();
      electron.appListeners.get('window-all-closed')!();
      expect(electron.app.quit).toHaveBeenCalledTimes(quits ? 1 : 0);
    });
  });
});

describe('main/electron/preload.ts', () => {
  const argv = process.argv;

  async function loadBridge(): Promise<PassConsoleBridge> {
    vi.resetModules();
    await import('../../main/electron/preload.ts');
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0]!;
    expect(name).toBe('passConsole');
    return api as PassConsoleBridge;
  }

  afterEach(() => {
    process.argv = argv;
  });

  it('exposes only `version` and `invoke`, frozen', async () => {
    process.argv = [...argv, '--pass-console-version=1.2.3'];
    const bridge = await loadBridge();
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'version']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(bridge.version).toBe('1.2.3');
  });

  it('passes an allowed channel and its payload to ipcRenderer.invoke', async () => {
    const bridge = await loadBridge();
    for (const channel of INVOKE_CHANNELS) {
      await expect(bridge.invoke(channel, { page: 2 })).resolves.toBe('answer from main');
      expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(channel, { page: 2 });
    }
  });

  it.each([
    'fs:readFile',
    'APP:INFO',
    'app:info ',
    '__proto__',
    'constructor',
    'toString',
    '',
    undefined,
    42,
    { toString: () => 'app:info' },
  ])('refuses %s without touching IPC', async (channel) => {
    const bridge = await loadBridge();
    await expect(bridge.invoke(channel as InvokeChannel, {})).rejects.toThrow(/not allowed/);
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });
});

describe('electron.vite.config.ts', () => {
  it('emits main and preload where main.ts looks for them', async () => {
    const { default: config } = (await import('../../electron.vite.config.ts')) as { default: any };
    expect(Object.keys(config.main.build.rollupOptions.input)).toEqual(['index']); // out/main/index.js
    expect(Object.keys(config.preload.build.rollupOptions.input)).toEqual(['index']);
    expect(config.preload.build.rollupOptions.output).toMatchObject({ format: 'cjs', entryFileNames: '[name].cjs' });
    expect(config.main.build.externalizeDeps).not.toBe(false);
  });
});
