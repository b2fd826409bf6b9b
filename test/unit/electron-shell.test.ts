// The Electron shell under plain Node: `electron` is a mock (the binary can't be fetched
// here), so these tests check what the shell asks of Electron (issue 4's security checklist),
// what the IPC handlers let through, and what the preload exposes to the page.
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, EVENT_CHANNELS, INVOKE_CHANNELS, type InvokeChannel, type IpcEnvelope } from '../../main/electron/channels.ts';
import type { PassConsoleBridge } from '../../main/electron/preload.ts';
import type { PassConsoleIpc } from '../../renderer/src/bridge/ipcBridge.ts';

type Listener = (...args: any[]) => any;

const electron = vi.hoisted(() => {
  const windows: FakeWindow[] = [];
  const trays: FakeTray[] = [];
  const notifications: FakeNotification[] = [];
  const appListeners = new Map<string, Listener>();
  const order: string[] = [];

  /** on()/once() that remember their listeners, and emit() that calls them with a fake event. */
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    readonly on = vi.fn((name: string, listener: Listener) => {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    });
    readonly once = vi.fn((name: string, listener: Listener) => this.on(name, listener));
    emit(name: string, ...args: unknown[]) {
      const event = { defaultPrevented: false, preventDefault: vi.fn(() => (event.defaultPrevented = true)) };
      for (const listener of this.listeners.get(name) ?? []) listener(event, ...args);
      return event;
    }
  }

  let nextId = 1;
  class FakeWebContents extends Emitter {
    readonly id = nextId++;
    readonly setWindowOpenHandler = vi.fn();
    readonly send = vi.fn();
    readonly isDestroyed = vi.fn(() => false);
  }

  class FakeWindow extends Emitter {
    readonly options: any;
    readonly webContents = new FakeWebContents();
    readonly show = vi.fn();
    readonly hide = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly close = vi.fn(() => this.emit('close'));
    readonly isMinimized = vi.fn(() => false);
    readonly isDestroyed = vi.fn(() => false);
    readonly loadFile = vi.fn(async () => undefined);
    readonly loadURL = vi.fn(async () => undefined);
    constructor(options: unknown) {
      super();
      this.options = options;
      windows.push(this);
    }
    static getAllWindows() {
      return windows;
    }
  }

  class FakeTray extends Emitter {
    readonly setToolTip = vi.fn();
    readonly setContextMenu = vi.fn();
    constructor(readonly image: unknown) {
      super();
      trays.push(this);
    }
  }

  class FakeNotification extends Emitter {
    readonly show = vi.fn();
    constructor(readonly options: { title: string; body: string }) {
      super();
      notifications.push(this);
    }
    static isSupported = vi.fn(() => true);
  }

  return {
    windows,
    trays,
    notifications,
    appListeners,
    order,
    FakeWebContents,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    app: {
      isPackaged: false,
      getAppPath: vi.fn(() => '/opt/Pass Console/resources/app.asar'),
      getName: vi.fn(() => 'pass-console'),
      getVersion: vi.fn(() => '9.8.7'),
      getLocale: vi.fn(() => 'en-US'),
      setAppUserModelId: vi.fn(),
      requestSingleInstanceLock: vi.fn(() => true),
      quit: vi.fn(),
      exit: vi.fn(),
      relaunch: vi.fn(),
      on: vi.fn((event: string, listener: Listener) => {
        appListeners.set(event, listener);
      }),
      whenReady: vi.fn(() => {
        order.push('whenReady');
        return Promise.resolve();
      }),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => order.push('registerSchemesAsPrivileged')),
      handle: vi.fn(),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
      },
    },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown) => ({ template })),
      setApplicationMenu: vi.fn(),
    },
    nativeImage: { createFromDataURL: vi.fn((url: string) => ({ url })) },
    dialog: {
      showMessageBox: vi.fn(async () => ({ response: 0 })),
      showErrorBox: vi.fn(),
      showOpenDialog: vi.fn(async (_options: { defaultPath?: string }): Promise<{ canceled: boolean; filePaths: string[] }> => ({ canceled: true, filePaths: [] })),
    },
    shell: { openExternal: vi.fn(async () => undefined), openPath: vi.fn(async () => '') },
    ipcMain: { handle: vi.fn() },
    ipcRenderer: { invoke: vi.fn(async (): Promise<unknown> => ({ ok: true, value: 'answer from main' })), on: vi.fn(), removeListener: vi.fn() },
    contextBridge: { exposeInMainWorld: vi.fn() },
  };
});

vi.mock('electron', () => electron);

// The real engine is not opened here: start() without openEngine gets this one, which records how it was asked.
const desktop = vi.hoisted(() => ({ openConsole: vi.fn() }));
vi.mock('../../main/app/console.ts', () => desktop);

/** Lets `app.whenReady().then(...)` and the engine promise run. */
const settle = () => new Promise((done) => setTimeout(done, 0));

const mainFile = fileURLToPath(new URL('../../main/electron/main.ts', import.meta.url));
const TRUSTED = `${APP_ORIGIN}/index.html`;

// ---- a fake engine: the service as the shell uses it ------------------------------------------

interface FakeSession {
  username: string;
  role: string;
  token: string;
  expiresAt: Date;
}

function fakeEngine(reportFolder = '/nowhere') {
  const sessions = new Map<string, FakeSession>();
  const subscribers = new Set<Listener>();
  const batchListeners = new Set<Listener>();
  const reportFiles = new Map<number, { path: string; fileName: string; exists: boolean; sizeBytes: number }>();
  let issued = 0;
  let staff = 0;
  const service = {
    call: vi.fn(async (session: FakeSession | null, name: string, input: any) => {
      if (name === 'setup.status') return { needsAdmin: staff === 0 };
      if (name === 'setup.createAdmin') {
        if (staff > 0) {
          const { ServiceError } = await import('../../main/service/errors.ts');
          throw new ServiceError('CONFLICT', { ko: '관리자 계정이 이미 있습니다.', en: 'The console already has staff accounts.' });
        }
        staff++;
        const token = `token-${++issued}`;
        sessions.set(token, { username: 'admin', role: 'ADMIN', token, expiresAt: new Date(Date.now() + 60_000) });
        return { token, username: 'admin', role: 'ADMIN', expiresAt: new Date(Date.now() + 60_000).toISOString() };
      }
      if (name === 'session.login') {
        if (input.password !== 'right-password') {
          throw Object.assign(new Error('x'), { name: 'ServiceError' });
        }
        const token = `token-${++issued}`;
        sessions.set(token, { username: input.username, role: 'ADMIN', token, expiresAt: new Date(Date.now() + 60_000) });
        return { token, username: input.username, role: 'ADMIN', expiresAt: new Date(Date.now() + 60_000).toISOString() };
      }
      if (!session) {
        const { ServiceError } = await import('../../main/service/errors.ts');
        throw new ServiceError('UNAUTHENTICATED', { ko: '로그인이 필요합니다.', en: 'Sign in first.' });
      }
      if (name === 'session.logout') {
        sessions.delete(session.token);
        return { ok: true };
      }
      if (name === 'reports.file') {
        const file = reportFiles.get(input.id);
        if (!file) {
          const { ServiceError } = await import('../../main/service/errors.ts');
          throw new ServiceError('NOT_FOUND', { ko: '없음', en: 'Report was not found.' }, 'id');
        }
        return { reportSeq: input.id, ...file };
      }
      if (name === 'explode') throw new Error('SELECT * FROM secret -- at Object.<anonymous> (/app/x.ts:1:1)');
      return { called: name, by: session.username, input };
    }),
    authenticate: vi.fn(async (token: string) => sessions.get(token) ?? null),
    subscribe: vi.fn((_session: FakeSession, listener: Listener) => {
      subscribers.add(listener);
      return () => subscribers.delete(listener);
    }),
    ensureAdmin: vi.fn(),
    operator: {
      events: {
        subscribe: (listener: Listener) => {
          batchListeners.add(listener);
          return () => batchListeners.delete(listener);
        },
      },
    },
  };
  return {
    engine: { service: service as any, reportFolder, runtime: { db: { url: 'sqlite:/nowhere/gym.sqlite', dialect: 'sqlite' } }, close: vi.fn(async () => undefined) },
    sessions,
    subscribers,
    reportFiles,
    emitBatch: (event: unknown) => batchListeners.forEach((listener) => listener(event)),
  };
}

function ipcEvent(url: string | null | undefined, sender = new electron.FakeWebContents()) {
  return { senderFrame: url === undefined ? undefined : url === null ? null : { url }, sender } as any;
}

beforeEach(() => {
  vi.clearAllMocks();
  electron.windows.length = 0;
  electron.trays.length = 0;
  electron.notifications.length = 0;
  electron.order.length = 0;
  electron.appListeners.clear();
  electron.app.isPackaged = false;
  electron.app.getLocale.mockReturnValue('en-US');
  electron.app.requestSingleInstanceLock.mockReturnValue(true);
  delete process.env.ELECTRON_RENDERER_URL;
});

// ---- main.ts ----------------------------------------------------------------------------------

describe('main/electron/main.ts: the window', () => {
  it('does nothing on import outside Electron, so tests and tools can load it', async () => {
    await import('../../main/electron/main.ts');
    expect(electron.app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(electron.windows).toHaveLength(0);
  });

  it('creates a 1280×800 window with every secure webPreference', async () => {
    const { createMainWindow, PRELOAD_PATH } = await import('../../main/electron/main.ts');
    createMainWindow();

    expect(electron.windows).toHaveLength(1);
    const { options } = electron.windows[0]!;
    expect(options).toMatchObject({ width: 1280, height: 800 });
    expect(options.webPreferences).toEqual({
      preload: PRELOAD_PATH,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
      additionalArguments: ['--pass-console-version=9.8.7'],
    });
    // Built, main.ts is out/main/index.js and the preload out/preload/index.cjs.
    expect(PRELOAD_PATH).toBe(resolve(dirname(mainFile), '../preload/index.cjs'));
  });

  it('loads the console from app://console, never file://; the dev server only in a development run', async () => {
    const { createMainWindow, RENDERER_URL, RENDERER_ROOT } = await import('../../main/electron/main.ts');
    createMainWindow();
    expect(RENDERER_URL).toBe('app://console/index.html');
    expect(RENDERER_ROOT).toBe(resolve(dirname(mainFile), '../renderer'));
    expect(electron.windows[0]!.loadURL).toHaveBeenCalledWith('app://console/index.html');
    expect(electron.windows[0]!.loadFile).not.toHaveBeenCalled();

    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    createMainWindow();
    expect(electron.windows[1]!.loadURL).toHaveBeenCalledWith('http://localhost:5173');

    // A packaged app never loads from a URL in its environment.
    electron.app.isPackaged = true;
    createMainWindow();
    expect(electron.windows[2]!.loadURL).toHaveBeenCalledWith('app://console/index.html');
  });

  it('denies every navigation; only a vetted https link goes to the system browser', async () => {
    const { createMainWindow } = await import('../../main/electron/main.ts');
    const contents = createMainWindow().webContents as unknown as InstanceType<typeof electron.FakeWebContents>;

    for (const url of ['https://evil.example.com/', 'app://console/other.html', 'file:///etc/passwd', 'http://example.com/', 'javascript:alert(1)']) {
      expect(contents.emit('will-navigate', url).defaultPrevented).toBe(true);
    }
    await settle();
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://evil.example.com/']]);
    expect(contents.emit('will-redirect', 'https://elsewhere.example.com/').defaultPrevented).toBe(true);
    expect(contents.emit('will-redirect', 'app://console/index.html').defaultPrevented).toBe(false);
    expect(contents.emit('will-attach-webview', {}, {}).defaultPrevented).toBe(true);
  });

  it('denies every new window; a vetted https link opens in the system browser instead', async () => {
    const { createMainWindow } = await import('../../main/electron/main.ts');
    createMainWindow();
    const openHandler = electron.windows[0]!.webContents.setWindowOpenHandler.mock.calls[0]![0] as Listener;
    for (const url of ['https://docs.example.com/help', 'file:///C:/Windows/system32/calc.exe', 'ms-settings:', 'http://example.com', 'app://console/x']) {
      expect(openHandler({ url })).toEqual({ action: 'deny' });
    }
    await settle();
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://docs.example.com/help']]);
  });
});

describe('main/electron/security.ts', () => {
  it.each([
    ['https://docs.example.com/help?x=1', true],
    ['https://www.example.co.kr/', true],
    ['http://docs.example.com/', false],
    ['https://user:pw@example.com/', false],
    ['https://example.com:8443/', false],
    ['https://127.0.0.1/', false],
    ['https://[::1]/', false],
    ['https://localhost/', false],
    ['https://intranet/', false],
    ['https://printer.local/', false],
    ['file:///etc/passwd', false],
    ['smb://server/share', false],
    ['ms-msdt:/id', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
    [42, false],
  ])('isVettedExternalUrl(%s) → %s', async (url, vetted) => {
    const { isVettedExternalUrl } = await import('../../main/electron/security.ts');
    expect(isVettedExternalUrl(url)).toBe(vetted);
  });

  it.each([
    ['app://console/index.html', undefined, true],
    ['app://console/#/executions', undefined, true],
    ['app://evil/index.html', undefined, false],
    ['app://user@console/index.html', undefined, false],
    ['file:///work/out/renderer/index.html', undefined, false],
    ['http://localhost:5173/', undefined, false],
    ['http://localhost:5173/', 'http://localhost:5173', true],
    ['http://localhost:5174/', 'http://localhost:5173', false],
    ['https://evil.example.com/', undefined, false],
    ['', undefined, false],
    [undefined, undefined, false],
  ])('isTrustedUrl(%s, dev %s) → %s', async (url, dev, trusted) => {
    const { isTrustedUrl } = await import('../../main/electron/security.ts');
    expect(isTrustedUrl(url, dev)).toBe(trusted);
  });

  it('has a strict CSP: own scripts only, no eval, no inline script, no plugins, no framing', async () => {
    const { CONTENT_SECURITY_POLICY } = await import('../../main/electron/security.ts');
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|http:|https:/);
  });
});

describe('main/electron/protocol.ts: app://console', () => {
  let root: string;
  let outside: string;
  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'pass-protocol-'));
    root = join(base, 'renderer');
    outside = join(base, 'secret.txt');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(outside, 'secret');
    symlinkSync(outside, join(root, 'assets', 'link.txt'));
  });
  afterAll(() => rmSync(dirname(root), { recursive: true, force: true }));

  const get = async (url: string, method = 'GET') => {
    const { serveRendererFile } = await import('../../main/electron/protocol.ts');
    return serveRendererFile(root, { url, method });
  };

  it('serves the built files with the CSP and nosniff', async () => {
    const page = await get('app://console/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const { CONTENT_SECURITY_POLICY } = await import('../../main/electron/security.ts');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>console</title>');
    const script = await get('app://console/assets/app.js');
    expect(script.headers.get('content-type')).toMatch(/text\/javascript/);
  });

  it("answers the screens' own paths with index.html", async () => {
    const page = await get('app://console/executions/12');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
  });

  it.each([
    'app://console/../secret.txt',
    'app://console/%2e%2e/secret.txt',
    'app://console/assets/..%2f..%2fsecret.txt',
    'app://console/assets/link.txt',
    'app://console/assets/%00.js',
    'app://console/assets\\..\\..\\secret.txt',
    'app://other/index.html',
    'app://console/missing.js',
  ])('refuses %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('secret');
  });

  it('refuses anything but GET and HEAD', async () => {
    expect((await get('app://console/index.html', 'POST')).status).toBe(405);
    expect((await get('app://console/index.html', 'HEAD')).status).toBe(200);
  });

  it('registers app: as a standard, secure scheme', async () => {
    const { registerAppScheme } = await import('../../main/electron/protocol.ts');
    registerAppScheme(electron.protocol as any);
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
  });
});

describe('main/electron/main.ts: start()', () => {
  async function started(options: { locale?: string } = {}) {
    if (options.locale) electron.app.getLocale.mockReturnValue(options.locale);
    const fake = fakeEngine();
    const { start } = await import('../../main/electron/main.ts');
    const shell = start({ openEngine: async () => fake.engine })!;
    await shell.ready;
    await settle();
    return { fake, shell };
  }

  it('File → Restore a backup…: picked in the backup folder, confirmed, the engine closed, the copy put back, the app started again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-shell-restore-'));
    try {
      const live = join(dir, 'gym.sqlite');
      const backup = join(dir, 'backups', 'gym-20261201T034500Z.sqlite');
      mkdirSync(join(dir, 'backups'));
      for (const [file, note] of [[live, 'live'], [backup, 'backup']] as const) {
        const db = new BetterSqlite3(file);
        db.exec(`CREATE TABLE BATCH_JOB_INSTANCE (note TEXT); INSERT INTO BATCH_JOB_INSTANCE VALUES ('${note}')`);
        db.close();
      }
      const { fake } = await started();
      fake.engine.runtime.db.url = `sqlite:${live}`;
      const template = electron.Menu.setApplicationMenu.mock.calls[0]![0].template as Array<{ submenu?: Array<{ id?: string; click?: () => void }> }>;
      const item = template.flatMap((menu) => menu.submenu ?? []).find((entry) => entry.id === 'restore-backup')!;

      // Cancelled in the file dialog: nothing closes.
      item.click!();
      await expect.poll(() => electron.dialog.showOpenDialog.mock.calls.length).toBe(1);
      expect(electron.dialog.showOpenDialog.mock.calls[0]![0]).toMatchObject({ defaultPath: join(dir, 'backups') });
      await settle();
      expect(fake.engine.close).not.toHaveBeenCalled();

      electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [backup] });
      item.click!();
      await expect.poll(() => electron.app.relaunch.mock.calls.length).toBe(1);
      expect(fake.engine.close).toHaveBeenCalledOnce();
      expect(electron.app.exit).toHaveBeenCalledWith(0);
      const notes = (file: string) => {
        const db = new BetterSqlite3(file, { readonly: true });
        try {
          return db.prepare('SELECT note FROM BATCH_JOB_INSTANCE').all();
        } finally {
          db.close();
        }
      };
      expect(notes(live)).toEqual([{ note: 'backup' }]);
      const kept = readdirSync(join(dir, 'backups')).filter((name) => name !== 'gym-20261201T034500Z.sqlite');
      expect(kept).toHaveLength(1);
      expect(notes(join(dir, 'backups', kept[0]!))).toEqual([{ note: 'live' }]);
      const said = electron.dialog.showMessageBox.mock.calls.map((call: any[]) => call[0].message as string);
      expect(said.some((message) => message.startsWith('Replace the database with this backup?'))).toBe(true);
      expect(said.some((message) => message.startsWith('The backup is restored.'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('one instance; the app: scheme registered before ready; a window; a handler for every allowed channel', async () => {
    await started();
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(electron.order.indexOf('registerSchemesAsPrivileged')).toBeLessThan(electron.order.indexOf('whenReady'));
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(electron.windows).toHaveLength(1);
    const handled = electron.ipcMain.handle.mock.calls.map((call: unknown[]) => call[0]);
    expect(handled.sort()).toEqual([...INVOKE_CHANNELS].sort());

    const appInfo = electron.ipcMain.handle.mock.calls.find((call: unknown[]) => call[0] === 'app:info')![1] as Listener;
    expect(await appInfo(ipcEvent(TRUSTED), undefined)).toEqual({
      ok: true,
      value: expect.objectContaining({ name: 'pass-console', version: '9.8.7' }),
    });
  });

  it('the session refuses every permission request and check', async () => {
    await started();
    const { defaultSession } = electron.session;
    const request = defaultSession.setPermissionRequestHandler.mock.calls[0]![0] as Listener;
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      const callback = vi.fn();
      request({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = defaultSession.setPermissionCheckHandler.mock.calls[0]![0] as Listener;
    expect(check({}, 'media', 'app://console', {})).toBe(false);
  });

  it('every WebContents made later is hardened too', async () => {
    await started();
    const contents = new electron.FakeWebContents();
    electron.appListeners.get('web-contents-created')!({}, contents);
    expect(contents.emit('will-navigate', 'https://evil.example.com/').defaultPrevented).toBe(true);
    const openHandler = contents.setWindowOpenHandler.mock.calls[0]![0] as Listener;
    expect(openHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
  });

  it('a second launch quits at once and opens nothing', async () => {
    electron.app.requestSingleInstanceLock.mockReturnValue(false);
    const { start } = await import('../../main/electron/main.ts');
    expect(start({ openEngine: async () => fakeEngine().engine })).toBeNull();
    await settle();
    expect(electron.app.quit).toHaveBeenCalledOnce();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(electron.windows).toHaveLength(0);
  });

  it('a second launch shows and focuses the running window', async () => {
    await started();
    electron.windows[0]!.isMinimized.mockReturnValue(true);
    electron.appListeners.get('second-instance')!();
    expect(electron.windows[0]!.restore).toHaveBeenCalled();
    expect(electron.windows[0]!.show).toHaveBeenCalled();
    expect(electron.windows[0]!.focus).toHaveBeenCalled();
  });

  it('closing the window hides it to the tray (schedules keep firing); quitting really closes', async () => {
    await started();
    const window = electron.windows[0]!;
    const closing = window.emit('close');
    expect(closing.defaultPrevented).toBe(true);
    expect(window.hide).toHaveBeenCalledOnce();
    // Said once, the first time.
    expect(electron.notifications.map((n) => n.options.title)).toEqual(['Pass Console is still running']);
    window.emit('close');
    expect(electron.notifications).toHaveLength(1);

    electron.appListeners.get('window-all-closed')!();
    expect(electron.app.quit).not.toHaveBeenCalled();

    electron.appListeners.get('before-quit')!();
    expect(window.emit('close').defaultPrevented).toBe(false);
  });

  it('the tray menu: open, running jobs, quit, kept up to date from the engine', async () => {
    const { fake } = await started();
    expect(electron.trays).toHaveLength(1);
    const labels = () => {
      const menu = electron.trays[0]!.setContextMenu.mock.calls.at(-1)![0] as { template: any[] };
      return menu.template;
    };
    expect(labels().map((item) => item.id).filter(Boolean)).toEqual(['open', 'running', 'quit']);
    expect(labels()[2].label).toBe('Running jobs (0)');

    fake.emitBatch({ type: 'job-started', jobExecutionId: 41, jobName: 'usePassesJob' });
    expect(labels()[2].label).toBe('Running jobs (1)');
    expect(labels()[2].submenu.map((item: any) => item.label)).toEqual(['usePassesJob #41']);

    labels()[0].click();
    expect(electron.windows[0]!.show).toHaveBeenCalled();
    labels()[4].click();
    expect(electron.app.quit).toHaveBeenCalledOnce();
  });

  it('a failed job raises a desktop notification; a completed one does not', async () => {
    const { fake } = await started();
    fake.emitBatch({ type: 'job-started', jobExecutionId: 7, jobName: 'makeStatisticsJob' });
    fake.emitBatch({ type: 'job-finished', jobExecutionId: 7, jobName: 'makeStatisticsJob', status: 'COMPLETED', exitMessage: '' });
    expect(electron.notifications).toHaveLength(0);
    fake.emitBatch({ type: 'job-started', jobExecutionId: 8, jobName: 'makeStatisticsJob' });
    fake.emitBatch({ type: 'job-finished', jobExecutionId: 8, jobName: 'makeStatisticsJob', status: 'FAILED', exitMessage: 'disk full\n  at stack line' });
    expect(electron.notifications).toHaveLength(1);
    const { options, show } = electron.notifications[0]!;
    expect(options.title).toBe('Job failed: makeStatisticsJob');
    expect(options.body).toContain('#8');
    expect(options.body).toContain('disk full');
    expect(options.body).not.toContain('stack line');
    expect(show).toHaveBeenCalled();
  });

  it.each([
    ['ko-KR', ['파일', '편집', '보기', '창', '도움말'], '패스 콘솔 열기'],
    ['en-US', ['File', 'Edit', 'View', 'Window', 'Help'], 'Open Pass Console'],
  ])('menus follow the system language (%s)', async (locale, menuBar, open) => {
    await started({ locale });
    const appMenu = electron.Menu.setApplicationMenu.mock.calls[0]![0] as { template: any[] };
    expect(appMenu.template.map((item) => item.label).filter((l) => l !== 'Pass Console')).toEqual(menuBar);
    const trayMenu = electron.trays[0]!.setContextMenu.mock.calls.at(-1)![0] as { template: any[] };
    expect(trayMenu.template[0].label).toBe(open);
  });

  it('a packaged app points PASS_NATIVE_DIR at the driver it ships in app.asar.unpacked before the engine opens; a development run leaves it to the cache', async () => {
    const before = process.env.PASS_NATIVE_DIR;
    delete process.env.PASS_NATIVE_DIR;
    try {
      await started();
      expect(process.env.PASS_NATIVE_DIR).toBeUndefined();
      electron.app.isPackaged = true;
      let seen: string | undefined;
      const { start } = await import('../../main/electron/main.ts');
      const fake = fakeEngine();
      await start({
        openEngine: async () => {
          seen = process.env.PASS_NATIVE_DIR;
          return fake.engine;
        },
      })!.ready;
      expect(seen).toBe(join('/opt/Pass Console/resources/app.asar.unpacked', 'out', 'native'));
      const { packagedNativeDir } = await import('../../main/electron/main.ts');
      expect(packagedNativeDir('C:\\Apps\\resources\\app')).toBe(join('C:\\Apps\\resources\\app', 'out', 'native'));
    } finally {
      if (before === undefined) delete process.env.PASS_NATIVE_DIR;
      else process.env.PASS_NATIVE_DIR = before;
    }
  });

  it('developer tools are in the menu of a development run only', async () => {
    const devTools = (menu: { template: any[] }) => JSON.stringify(menu.template).includes('toggleDevTools');
    await started();
    expect(devTools(electron.Menu.setApplicationMenu.mock.calls[0]![0])).toBe(true);
    electron.app.isPackaged = true;
    await started();
    expect(devTools(electron.Menu.setApplicationMenu.mock.calls[1]![0])).toBe(false);
  });

  it('first run: the engine is asked to wait for the admin password chosen at the desk, and no password is shown', async () => {
    const fake = fakeEngine();
    desktop.openConsole.mockResolvedValueOnce(fake.engine);
    const { start } = await import('../../main/electron/main.ts');
    const shell = start()!;
    await shell.ready;
    await settle();

    expect(desktop.openConsole).toHaveBeenCalledOnce();
    expect(desktop.openConsole.mock.calls[0]![0]).toMatchObject({ admin: 'ask' });
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();

    // The first-run screen: nobody yet, then `admin` with the chosen password, signed in in this window.
    const handler = electron.ipcMain.handle.mock.calls.find((call: unknown[]) => call[0] === 'service:call')![1] as Listener;
    const window = electron.windows[0]!.webContents;
    expect(await handler(ipcEvent(TRUSTED, window), { operation: 'setup.status', input: {} })).toEqual({ ok: true, value: { needsAdmin: true } });
    const created = await handler(ipcEvent(TRUSTED, window), { operation: 'setup.createAdmin', input: { password: 'chosen-at-the-desk' } });
    expect(created).toEqual({ ok: true, value: { token: '', username: 'admin', role: 'ADMIN', expiresAt: expect.any(String) } });
    expect(fake.engine.service.call).toHaveBeenCalledWith(null, 'setup.createAdmin', { password: 'chosen-at-the-desk' });
    expect(shell.ipc.sessions.get(window.id)?.token).toBe('token-1');
    expect(await handler(ipcEvent(TRUSTED, window), { operation: 'jobs.list', input: {} })).toEqual({ ok: true, value: { called: 'jobs.list', by: 'admin', input: {} } });
    expect(await handler(ipcEvent(TRUSTED, window), { operation: 'setup.status', input: {} })).toEqual({ ok: true, value: { needsAdmin: false } });
  });

  it('an engine that cannot open says why and exits', async () => {
    const { start } = await import('../../main/electron/main.ts');
    const shell = start({ openEngine: async () => Promise.reject(new Error('Cannot open the database: connection refused')) })!;
    await shell.ready;
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('Pass Console could not start', 'Cannot open the database: connection refused');
    expect(electron.app.exit).toHaveBeenCalledWith(1);
  });

  it('quitting signs the windows out and closes the engine before the process ends', async () => {
    const { fake } = await started();
    const login = electron.ipcMain.handle.mock.calls.find((call: unknown[]) => call[0] === 'service:login')![1] as Listener;
    await login(ipcEvent(TRUSTED), { username: 'admin', password: 'right-password' });
    expect(fake.sessions.size).toBe(1);

    const willQuit = { preventDefault: vi.fn() };
    electron.appListeners.get('will-quit')!(willQuit);
    expect(willQuit.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
    expect(fake.engine.close).toHaveBeenCalledOnce();
    expect(fake.sessions.size).toBe(0);
    // The second will-quit (from that app.quit) lets the process go.
    const again = { preventDefault: vi.fn() };
    electron.appListeners.get('will-quit')!(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});

// ---- ipc.ts -----------------------------------------------------------------------------------

describe('main/electron/ipc.ts: the service over IPC', () => {
  async function setup(reportFolder?: string) {
    const fake = fakeEngine(reportFolder);
    const { registerIpcHandlers } = await import('../../main/electron/ipc.ts');
    const { isTrustedUrl } = await import('../../main/electron/security.ts');
    const openPath = vi.fn(async (_path: string) => '');
    const ipc = registerIpcHandlers({
      ipcMain: { handle: vi.fn() } as any,
      engine: async () => fake.engine,
      isTrustedSender: (url) => isTrustedUrl(url),
      appInfo: () => ({ name: 'pass-console', version: '1', platform: 'linux', electron: '42' }),
      openPath,
    });
    const sender = new electron.FakeWebContents();
    const invoke = (channel: InvokeChannel, payload?: unknown, url: string | null = TRUSTED, from = sender) =>
      ipc.handlers.get(channel)!(ipcEvent(url, from), payload) as Promise<IpcEnvelope<any>>;
    return { fake, ipc, sender, invoke, openPath };
  }

  it.each(INVOKE_CHANNELS.map((channel) => [channel]))('%s refuses a sender that is not our page, before touching the service', async (channel) => {
    const { fake, invoke } = await setup();
    for (const url of ['https://evil.example.com/', 'file:///tmp/x.html', 'app://evil/index.html', 'http://localhost:5173/', 'about:blank', null]) {
      const answer = await invoke(channel, { username: 'admin', password: 'right-password', operation: 'jobs.list', reportSeq: 1 }, url);
      expect(answer).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: { ko: expect.any(String), en: expect.stringMatching(/own page/) } } });
    }
    expect(fake.engine.service.call).not.toHaveBeenCalled();
    expect(fake.engine.service.authenticate).not.toHaveBeenCalled();
  });

  it('login keeps the session in main and answers the staff member without the token', async () => {
    const { fake, ipc, sender, invoke } = await setup();
    const answer = await invoke('service:login', { username: 'admin', password: 'right-password' });
    expect(answer).toEqual({ ok: true, value: { token: '', username: 'admin', role: 'ADMIN', expiresAt: expect.any(String) } });
    expect(ipc.sessions.get(sender.id)?.token).toBe('token-1');
    expect(JSON.stringify(answer)).not.toContain('token-1');
    expect(fake.sessions.size).toBe(1);
  });

  it('a wrong password is an error object, and no session is kept', async () => {
    const { ipc, invoke } = await setup();
    const answer = await invoke('service:login', { username: 'admin', password: 'wrong' });
    expect(answer.ok).toBe(false);
    expect(ipc.sessions.size).toBe(0);
  });

  it("service:call runs the operation as the window's session; another window has none", async () => {
    const { invoke } = await setup();
    await invoke('service:login', { username: 'admin', password: 'right-password' });
    expect(await invoke('service:call', { operation: 'jobs.list', input: {} })).toEqual({ ok: true, value: { called: 'jobs.list', by: 'admin', input: {} } });

    const other = new electron.FakeWebContents();
    const answer = await invoke('service:call', { operation: 'jobs.list', input: {} }, TRUSTED, other);
    expect(answer).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: { ko: expect.any(String), en: expect.any(String) } } });
  });

  it('errors cross as { code, message: { ko, en } }, never a stack or SQL', async () => {
    const { invoke } = await setup();
    await invoke('service:login', { username: 'admin', password: 'right-password' });
    const answer = await invoke('service:call', { operation: 'explode', input: {} });
    expect(answer).toEqual({ ok: false, error: { code: 'INTERNAL', message: { ko: expect.any(String), en: expect.any(String) } } });
    expect(JSON.stringify(answer)).not.toMatch(/SELECT|at Object|\.ts:/);
  });

  it.each([
    [{ operation: 'session.login', input: { username: 'admin', password: 'right-password' } }],
    [{ operation: 'session.logout' }],
    [{ operation: 42 }],
    ['jobs.list'],
    [[1, 2]],
  ])('service:call refuses %j', async (payload) => {
    const { fake, invoke } = await setup();
    const answer = await invoke('service:call', payload);
    expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(fake.engine.service.call).not.toHaveBeenCalled();
  });

  it("pushes the session's live events to its window, and stops at logout", async () => {
    const { fake, ipc, sender, invoke } = await setup();
    await invoke('service:login', { username: 'admin', password: 'right-password' });
    expect(fake.subscribers.size).toBe(1);
    const event = { type: 'job-started', executionId: 3, jobName: 'usePassesJob' };
    fake.subscribers.forEach((listener) => listener(event));
    expect(sender.send).toHaveBeenCalledWith(EVENT_CHANNELS[0], event);

    expect(await invoke('service:logout', {})).toEqual({ ok: true, value: { ok: true } });
    expect(fake.subscribers.size).toBe(0);
    expect(ipc.sessions.size).toBe(0);
    expect(fake.sessions.size).toBe(0);
  });

  it('a window that goes away is signed out', async () => {
    const { fake, ipc, sender, invoke } = await setup();
    await invoke('service:login', { username: 'admin', password: 'right-password' });
    sender.emit('destroyed');
    await settle();
    expect(ipc.sessions.size).toBe(0);
    expect(fake.subscribers.size).toBe(0);
    expect(fake.sessions.size).toBe(0);
  });

  it('setup.createAdmin signs the window in like service:login: the token stays in main', async () => {
    const { fake, ipc, sender, invoke } = await setup();
    const answer = await invoke('service:call', { operation: 'setup.createAdmin', input: { password: 'chosen-at-the-desk' } });
    expect(answer).toEqual({ ok: true, value: { token: '', username: 'admin', role: 'ADMIN', expiresAt: expect.any(String) } });
    expect(ipc.sessions.get(sender.id)?.token).toBe('token-1');
    expect(JSON.stringify(answer)).not.toContain('token-1');
    expect(fake.subscribers.size).toBe(1);

    // A second window cannot make another admin, nor gets a session from trying.
    const other = new electron.FakeWebContents();
    const again = await invoke('service:call', { operation: 'setup.createAdmin', input: { password: 'someone-else-1' } }, TRUSTED, other);
    expect(again).toEqual({ ok: false, error: { code: 'CONFLICT', message: { ko: expect.any(String), en: expect.any(String) } } });
    expect(ipc.sessions.has(other.id)).toBe(false);
    expect(fake.sessions.size).toBe(1);
  });

  it('signing in again in the same window ends the previous session', async () => {
    const { fake, ipc, sender, invoke } = await setup();
    await invoke('service:login', { username: 'admin', password: 'right-password' });
    await invoke('service:login', { username: 'admin', password: 'right-password' });
    expect(ipc.sessions.get(sender.id)?.token).toBe('token-2');
    expect([...fake.sessions.keys()]).toEqual(['token-2']);
    expect(fake.subscribers.size).toBe(1);
  });

  describe('reports', () => {
    let folder: string;
    let elsewhere: string;
    beforeAll(() => {
      const base = mkdtempSync(join(tmpdir(), 'pass-reports-'));
      folder = join(base, 'reports');
      elsewhere = join(base, 'elsewhere');
      mkdirSync(folder);
      mkdirSync(elsewhere);
      writeFileSync(join(folder, 'daily-2026-11-24.csv'), '\ufeffdate,count\n2026-11-24,3\n');
      writeFileSync(join(folder, 'evil.exe'), 'MZ');
      writeFileSync(join(elsewhere, 'other.csv'), 'x');
      symlinkSync(join(elsewhere, 'other.csv'), join(folder, 'link.csv'));
    });
    afterAll(() => rmSync(dirname(folder), { recursive: true, force: true }));

    async function withReports() {
      const ctx = await setup(folder);
      const file = (path: string) => ({ path, fileName: path.split('/').at(-1)!, exists: true, sizeBytes: 10 });
      ctx.fake.reportFiles.set(1, file(join(folder, 'daily-2026-11-24.csv')));
      ctx.fake.reportFiles.set(2, file(join(elsewhere, 'other.csv')));
      ctx.fake.reportFiles.set(3, file(join(folder, 'evil.exe')));
      ctx.fake.reportFiles.set(4, file(join(folder, 'link.csv')));
      ctx.fake.reportFiles.set(5, file(join(folder, '..', 'elsewhere', 'other.csv')));
      ctx.fake.reportFiles.set(6, { ...file(join(folder, 'gone.csv')), exists: false });
      await ctx.invoke('service:login', { username: 'admin', password: 'right-password' });
      return ctx;
    }

    it('opens a report inside the report folder with the default app', async () => {
      const { invoke, openPath } = await withReports();
      expect(await invoke('app:openReport', { reportSeq: 1 })).toEqual({ ok: true, value: { ok: true } });
      expect(openPath).toHaveBeenCalledWith(join(folder, 'daily-2026-11-24.csv'));
    });

    it.each([
      [2, 'FORBIDDEN'],
      [3, 'FORBIDDEN'],
      [4, 'FORBIDDEN'],
      [5, 'FORBIDDEN'],
      [6, 'NOT_FOUND'],
      [99, 'NOT_FOUND'],
    ])('refuses to open report %s (%s)', async (reportSeq, code) => {
      const { invoke, openPath } = await withReports();
      expect(await invoke('app:openReport', { reportSeq })).toMatchObject({ ok: false, error: { code } });
      expect(openPath).not.toHaveBeenCalled();
    });

    it.each([[{ reportSeq: '1' }], [{ reportSeq: 0 }], [{ reportSeq: 1.5 }], [{}], [null]])('refuses a bad report request %j', async (payload) => {
      const { invoke, openPath } = await withReports();
      expect(await invoke('app:openReport', payload)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(openPath).not.toHaveBeenCalled();
    });

    it("says why the system couldn't open it", async () => {
      const { invoke, openPath } = await withReports();
      openPath.mockResolvedValueOnce('No application is associated with this file');
      expect(await invoke('app:openReport', { reportSeq: 1 })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    });

    it('service:report hands the preview its text', async () => {
      const { invoke } = await withReports();
      expect(await invoke('service:report', { reportSeq: 1 })).toEqual({
        ok: true,
        value: { fileName: 'daily-2026-11-24.csv', text: '\ufeffdate,count\n2026-11-24,3\n' },
      });
      expect(await invoke('service:report', { reportSeq: 6 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    });
  });
});

// ---- preload.ts -------------------------------------------------------------------------------

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

  it('exposes exactly `version`, `invoke` and `on`, frozen', async () => {
    process.argv = [...argv, '--pass-console-version=1.2.3'];
    const bridge = await loadBridge();
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on', 'version']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(bridge.version).toBe('1.2.3');
    // What the renderer's IPC bridge needs of it, checked by the compiler.
    const needed: PassConsoleIpc = bridge;
    expect(typeof needed.on).toBe('function');
  });

  it("every channel the renderer's bridge names is on the allow-list, and every allowed one is answered in main", () => {
    const source = readFileSync(fileURLToPath(new URL('../../renderer/src/bridge/ipcBridge.ts', import.meta.url)), 'utf8');
    const used = new Set([...source.matchAll(/'((?:service|app):[A-Za-z]+)'/g)].map((m) => m[1]!));
    const allowed = new Set<string>([...INVOKE_CHANNELS, ...EVENT_CHANNELS]);
    expect([...used].filter((channel) => !allowed.has(channel))).toEqual([]);
    expect(used.has('service:call')).toBe(true);
  });

  it('passes an allowed channel and its payload to ipcRenderer.invoke and answers the value', async () => {
    const bridge = await loadBridge();
    for (const channel of INVOKE_CHANNELS) {
      await expect(bridge.invoke(channel, { page: 2 })).resolves.toBe('answer from main');
      expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(channel, { page: 2 });
    }
  });

  it("turns main's refusal into an Error whose message is the JSON { code, message }", async () => {
    const bridge = await loadBridge();
    const body = { code: 'FORBIDDEN', message: { ko: '안 됩니다', en: 'No' } };
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: body });
    const error = await bridge.invoke('service:call', { operation: 'staff.list' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(JSON.parse((error as Error).message)).toEqual(body);

    // And the renderer's bridge reads it back.
    const { errorFromIpc } = await import('../../renderer/src/bridge/ipcBridge.ts');
    expect(errorFromIpc(new Error(`Error invoking remote method 'service:call': Error: ${(error as Error).message}`))).toMatchObject({ code: 'FORBIDDEN', text: body.message });
  });

  it.each([
    'fs:readFile',
    'APP:INFO',
    'app:info ',
    'service:events',
    '__proto__',
    'constructor',
    'toString',
    '',
    undefined,
    42,
    { toString: () => 'app:info' },
  ])('invoke refuses %s without touching IPC', async (channel) => {
    const bridge = await loadBridge();
    await expect(bridge.invoke(channel as InvokeChannel, {})).rejects.toThrow(/not allowed/);
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('on() subscribes to service:events only, hands the listener the data alone, and unsubscribes', async () => {
    const bridge = await loadBridge();
    const listener = vi.fn();
    const off = bridge.on('service:events', listener);
    const [channel, forward] = electron.ipcRenderer.on.mock.calls[0]! as [string, Listener];
    expect(channel).toBe('service:events');
    forward({ sender: { send: () => 'a way back into ipcRenderer' } }, { type: 'job-started', executionId: 1, jobName: 'x' });
    expect(listener).toHaveBeenCalledWith({ type: 'job-started', executionId: 1, jobName: 'x' });
    expect(listener.mock.calls[0]).toHaveLength(1);
    off();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith('service:events', forward);

    for (const bad of ['service:call', 'app:info', 'fs:watch', '__proto__']) {
      expect(() => bridge.on(bad as 'service:events', vi.fn())).toThrow(/not allowed/);
    }
    expect(electron.ipcRenderer.on).toHaveBeenCalledOnce();
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
