// A fake `electron` for the shell's tests under plain Node (the binary can't be fetched here):
// windows, trays and notifications that remember what they were asked, the displays, the app, protocol,
// session, menu, dialog, shell, IPC and context bridge as mocks; and a fake engine (the service
// as the shell uses it). A test file mocks `electron` with it:
//
//   const fake = await vi.hoisted(() => import('../support/fakeElectron.ts'));
//   vi.mock('electron', () => fake.electron);
//   beforeEach(resetFakeElectron);
import { vi } from 'vitest';
import { APP_ORIGIN } from '../../main/electron/channels.ts';

export type Listener = (...args: any[]) => any;

export interface FakeDisplay {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

export const PRIMARY_DISPLAY: FakeDisplay = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };

function createFakeElectron() {
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
    readonly removeMenu = vi.fn();
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
    /** the displays `screen` reports: the primary first (tests add a second one) */
    displays: [PRIMARY_DISPLAY] as FakeDisplay[],
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
    screen: {
      getPrimaryDisplay: vi.fn((): FakeDisplay => PRIMARY_DISPLAY),
      getAllDisplays: vi.fn((): FakeDisplay[] => electron.displays),
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
}

/** The one fake `electron` of a test file (its `vi.mock('electron')` and the test share it). */
export const electron = createFakeElectron();

/** Forgets every window, tray, notification and call, and puts the app back as a development run. */
export function resetFakeElectron(): void {
  vi.clearAllMocks();
  electron.windows.length = 0;
  electron.trays.length = 0;
  electron.notifications.length = 0;
  electron.displays.splice(0, electron.displays.length, PRIMARY_DISPLAY);
  electron.order.length = 0;
  electron.appListeners.clear();
  electron.app.isPackaged = false;
  electron.app.getLocale.mockReturnValue('en-US');
  electron.app.requestSingleInstanceLock.mockReturnValue(true);
  delete process.env.ELECTRON_RENDERER_URL;
}

/** Lets `app.whenReady().then(...)` and the engine promise run. */
export const settle = () => new Promise((done) => setTimeout(done, 0));

/** The page the shell trusts. */
export const TRUSTED = `${APP_ORIGIN}/index.html`;

// ---- a fake engine: the service as the shell uses it ------------------------------------------

export interface FakeSession {
  username: string;
  role: string;
  token: string;
  expiresAt: Date;
}

export function fakeEngine(reportFolder = '/nowhere') {
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
  };
  // the engine's events, as the composition root hands them to the shell (not through the service)
  const operator = {
    events: {
      subscribe: (listener: Listener) => {
        batchListeners.add(listener);
        return () => batchListeners.delete(listener);
      },
    },
  };
  return {
    engine: { service: service as any, reportFolder, runtime: { db: { url: 'sqlite:/nowhere/gym.sqlite', dialect: 'sqlite' }, operator }, close: vi.fn(async () => undefined) },
    sessions,
    subscribers,
    reportFiles,
    emitBatch: (event: unknown) => batchListeners.forEach((listener) => listener(event)),
  };
}

export function ipcEvent(url: string | null | undefined, sender = new electron.FakeWebContents()) {
  return { senderFrame: url === undefined ? undefined : url === null ? null : { url }, sender } as any;
}
