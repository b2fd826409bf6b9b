// main/electron/main.ts under plain Node, with a fake `electron` (test/support/fakeElectron.ts):
// the window it makes (issue 4's security checklist), and start(): one instance, the tray, the
// menu, notifications, the first run, restoring a backup, quitting.
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../main/electron/channels.ts';
import { electron, fakeEngine, ipcEvent, resetFakeElectron, settle, TRUSTED, type Listener } from '../support/fakeElectron.ts';

// One fake for the file: a module reset (vi.resetModules) loads `electron` again, and gets the same one.
const fake = await vi.hoisted(() => import('../support/fakeElectron.ts'));
vi.mock('electron', () => fake.electron);

// The real engine is not opened here: start() without openEngine gets this one, which records how it was asked.
const desktop = vi.hoisted(() => ({ openConsole: vi.fn() }));
vi.mock('../../main/app/console.ts', () => desktop);

const mainFile = fileURLToPath(new URL('../../main/electron/main.ts', import.meta.url));

beforeEach(resetFakeElectron);

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
        db.exec('CREATE TABLE audit_log (audit_seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT, actor TEXT, action TEXT, target TEXT, detail TEXT)');
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
      // the restored database's activity log says who put which copy back, and where the old one is
      const restored = new BetterSqlite3(live, { readonly: true });
      try {
        expect(restored.prepare('SELECT actor, action, target FROM audit_log').all()).toEqual([
          { actor: `desktop:${userInfo().username}`, action: 'backups.restore', target: `file:${backup}` },
        ]);
      } finally {
        restored.close();
      }
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

  it('the tray menu: open, the check-in kiosk window, running jobs, quit, kept up to date from the engine', async () => {
    const { fake } = await started();
    expect(electron.trays).toHaveLength(1);
    const labels = () => {
      const menu = electron.trays[0]!.setContextMenu.mock.calls.at(-1)![0] as { template: any[] };
      return menu.template;
    };
    const item = (id: string) => labels().find((entry) => entry.id === id);
    expect(labels().map((entry) => entry.id).filter(Boolean)).toEqual(['open', 'open-kiosk', 'running', 'quit']);
    expect(item('running').label).toBe('Running jobs (0)');

    fake.emitBatch({ type: 'job-started', jobExecutionId: 41, jobName: 'usePassesJob' });
    expect(item('running').label).toBe('Running jobs (1)');
    expect(item('running').submenu.map((entry: any) => entry.label)).toEqual(['usePassesJob #41']);

    item('open').click();
    expect(electron.windows[0]!.show).toHaveBeenCalled();
    item('quit').click();
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

  it('first run: the engine is asked to wait for the admin password chosen at the desk, adds no demo gym at start, and no password is shown', async () => {
    const fake = fakeEngine();
    desktop.openConsole.mockResolvedValueOnce(fake.engine);
    const { start } = await import('../../main/electron/main.ts');
    const shell = start()!;
    await shell.ready;
    await settle();

    expect(desktop.openConsole).toHaveBeenCalledOnce();
    // the demo gym is the first-run screen's choice, never added before it
    expect(desktop.openConsole.mock.calls[0]![0]).toMatchObject({ admin: 'ask', seedDemo: false });
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();

    // The first-run screen: nobody yet, then `admin` with the chosen password, signed in in this window.
    const handler = electron.ipcMain.handle.mock.calls.find((call: unknown[]) => call[0] === 'service:call')![1] as Listener;
    const window = electron.windows[0]!.webContents;
    expect(await handler(ipcEvent(TRUSTED, window), { operation: 'setup.status', input: {} })).toEqual({ ok: true, value: { needsAdmin: true } });
    const created = await handler(ipcEvent(TRUSTED, window), { operation: 'setup.createAdmin', input: { password: 'chosen-at-the-desk', gym: 'demo' } });
    expect(created).toEqual({ ok: true, value: { token: '', username: 'admin', role: 'ADMIN', expiresAt: expect.any(String) } });
    expect(fake.engine.service.call).toHaveBeenCalledWith(null, 'setup.createAdmin', { password: 'chosen-at-the-desk', gym: 'demo' });
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
