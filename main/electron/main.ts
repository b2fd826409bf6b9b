// The desktop shell: a sandboxed window served from app://console, whose only way into main
// is the preload's allow-listed bridge, and on demand a second one, the check-in kiosk (the same
// page at #kiosk, full screen, on a second display when there is one, its own signed-in session); the engine, the scheduler and the service run here in
// main (main/app/console.ts) and keep running in the tray when the window is closed, so
// schedules fire. Every item of Electron's security checklist is applied here or in
// security.ts / protocol.ts / ipc.ts; test/unit/electron-*.test.ts check them with a fake Electron.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, protocol, screen, session, shell, Tray } from 'electron';
import { openConsole } from '../app/console.ts';
import { APP_ORIGIN, VERSION_ARGUMENT, type AppInfo } from './channels.ts';
import { registerIpcHandlers, type IpcEngine, type IpcHandlers } from './ipc.ts';
import { watchJobs, type JobEvents, type JobWatch } from './jobWatch.ts';
import { appMenuTemplate, languageOf, startFailure, textsFor, trayMenuTemplate, type MenuActions, type RunningJob, type Texts } from './menus.ts';
import { handleAppProtocol, registerAppScheme } from './protocol.ts';
import { restoreFromBackup } from './restoreBackup.ts';
import { hardenSession, hardenWebContents, isTrustedUrl, isVettedExternalUrl } from './security.ts';
import { runSmoke } from './smoke.ts';

// Built, this file is out/main/index.js, beside out/preload/ and out/renderer/.
const here = dirname(fileURLToPath(import.meta.url));
export const PRELOAD_PATH = join(here, '../preload/index.cjs');
export const RENDERER_ROOT = join(here, '../renderer');
/** Where the window loads the built console from: the custom protocol, never file://. */
export const RENDERER_URL = `${APP_ORIGIN}/index.html`;
/** The check-in kiosk's window: the same page, which shows only the kiosk at #kiosk. */
export const KIOSK_HASH = '#kiosk';
/** Windows groups notifications and the taskbar by this; electron-builder.yml's appId. */
export const APP_ID = 'kr.passconsole.desktop';
/** The tray's 32×32 icon (a "P" on the console's teal), inline so nothing has to be unpacked for it. */
const TRAY_ICON = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAZklEQVR4nO3XsQ0AIAgEQBdwbwdwX01sFYIKivFJ6Ih/hQWEQFTMqWg2lWMaOoU5FT5EnA7vEG4BOyUGcAPWgIZ4EqA1DwAA7wIkxb0LgNkfWGkAAAAAAN9b8T+A66eZi+PUGkPlVHrCsqgQwUeWAAAAAElFTkSuQmCC';

/** The engine as the shell uses it (openConsole gives it; tests give a fake). */
export interface ShellEngine extends IpcEngine {
  /**
   * the database it has open (File → Restore a backup… replaces its file), and the engine's events
   * (the tray's running jobs, the notification when one fails): the composition root's, not the service's
   */
  runtime: { db: { url: string; dialect: string }; operator: { events: JobEvents } };
  close(): Promise<void>;
}

/**
 * The desktop's engine. On first run the admin's password is the one PASS_ADMIN_PASSWORD
 * gives, else the one the person at the desk chooses on the first-run screen (setup.createAdmin):
 * the app is theirs, so nothing is generated and no password is ever shown in a dialog. Nothing
 * is added at start: the same screen asks whether the gym starts empty (for real use) or with the
 * demo gym, which the service then writes on a worker thread (main/service/setup.ts).
 */
export const openShellEngine = (): Promise<ShellEngine> => openConsole({ admin: 'ask', seedDemo: false, log: (line) => console.log(line) });

export interface StartOptions {
  openEngine?: () => Promise<ShellEngine>;
}

/**
 * Where a packaged app keeps the SQLite driver built for its Electron (`npm run dist` stages it in
 * out/native, electron-builder.yml unpacks it): app.asar.unpacked/out/native. Set as
 * PASS_NATIVE_DIR before the engine opens, so the worker threads inherit it. A source run
 * (`npm start`) finds it in node_modules/.cache instead (main/batch/database/sqliteDriver.ts).
 */
export function packagedNativeDir(appPath: string): string {
  return /\.asar$/.test(appPath) ? join(`${appPath}.unpacked`, 'out', 'native') : join(appPath, 'out', 'native');
}

/** The electron-vite dev server, in a development run only: a packaged app ignores the variable. */
export function devServerUrl(): string | undefined {
  return !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : undefined;
}

const openExternal = (url: string) => (isVettedExternalUrl(url) ? shell.openExternal(url) : undefined);

/** The console's window. */
export function createMainWindow(): BrowserWindow {
  return createWindow({ width: 1280, height: 800, minWidth: 960, minHeight: 600 }, '');
}

/**
 * The check-in kiosk's window: full screen in kiosk mode, on a display other than the primary
 * one when there is one (the screen that faces the members), with no menu, loading the console's
 * page at #kiosk. Being its own WebContents it signs in on its own (ipc.ts keeps a session per
 * WebContents), with the kiosk account.
 */
export function createKioskWindow(): BrowserWindow {
  const primary = screen.getPrimaryDisplay();
  const display = screen.getAllDisplays().find((d) => d.id !== primary.id) ?? primary;
  const window = createWindow({ ...display.bounds, kiosk: true, autoHideMenuBar: true, backgroundColor: '#f6f7f9' }, KIOSK_HASH);
  // no menu bar, so none of the console's accelerators (Close window, Reload) reach the kiosk
  window.removeMenu();
  return window;
}

/**
 * Every window, with the one set of web preferences (written here as a literal, where
 * `npm run lint:electron` reads them): the page sandboxed and isolated, no Node, no way out but
 * the preload's bridge; it loads the renderer at `hash`.
 */
function createWindow(shape: Electron.BrowserWindowConstructorOptions, hash: string): BrowserWindow {
  const window = new BrowserWindow({
    ...shape,
    title: 'Pass Console',
    show: false,
    webPreferences: {
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
      // Middle-click would open a link in a new window (denied anyway by setWindowOpenHandler).
      disableBlinkFeatures: 'Auxclick',
      additionalArguments: [`${VERSION_ARGUMENT}${app.getVersion()}`],
    },
  });
  hardenWebContents(window.webContents, { openExternal });
  window.once('ready-to-show', () => window.show());
  // `electron-vite dev` serves the renderer with hot reload and says where in this variable.
  const devServer = devServerUrl();
  void window.loadURL(`${devServer ?? RENDERER_URL}${hash}`);
  return window;
}

export function appInfo(): AppInfo {
  return {
    name: app.getName(),
    version: app.getVersion(),
    platform: process.platform,
    electron: process.versions.electron ?? '',
  };
}

export interface Shell {
  ipc: IpcHandlers;
  /** resolves once the window, the tray and the engine are up (or the start failed) */
  ready: Promise<void>;
}

export function start(options: StartOptions = {}): Shell | null {
  // A second launch focuses the running console instead of opening a second engine on the same database.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  if (app.isPackaged) process.env.PASS_NATIVE_DIR ??= packagedNativeDir(app.getAppPath());
  // `npm run smoke:desktop`: drive the window once, write its picture here, exit (a development build only).
  const smokePng = !app.isPackaged ? process.env.PASS_SMOKE || undefined : undefined;
  // Before `ready`: the scheme's privileges are fixed at start-up.
  registerAppScheme(protocol);
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  const engine = (options.openEngine ?? openShellEngine)();
  engine.catch(() => undefined); // reported once the window exists (below)

  let mainWindow: BrowserWindow | null = null;
  let kioskWindow: BrowserWindow | null = null;
  let tray: Tray | null = null;
  let watch: JobWatch | null = null;
  let opened: ShellEngine | null = null;
  let texts: Texts = textsFor('en');
  let running: RunningJob[] = [];
  let quitting = false;
  let shutDown = false;
  let toldAboutTray = false;

  const showWindow = () => {
    if (!mainWindow || mainWindow.isDestroyed()) mainWindow = openWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };
  const hideWindow = () => mainWindow?.close();
  // One kiosk window at a time: asked again, the open one comes to the front.
  const openKiosk = () => {
    if (!kioskWindow || kioskWindow.isDestroyed()) {
      const window = createKioskWindow();
      kioskWindow = window;
      window.on('closed', () => {
        if (kioskWindow === window) kioskWindow = null;
        rebuildTray();
      });
      rebuildTray();
    }
    if (kioskWindow.isMinimized()) kioskWindow.restore();
    kioskWindow.show();
    kioskWindow.focus();
  };
  const closeKiosk = () => {
    if (kioskWindow && !kioskWindow.isDestroyed()) kioskWindow.close();
  };
  const notify = (title: string, body: string) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body });
    notification.on('click', showWindow);
    notification.show();
  };
  // Running executions reach their end and the database closes: before quitting, and before a restore.
  const shutDownEngine = async () => {
    shutDown = true;
    watch?.stop();
    await ipc.dispose().catch(() => undefined);
    await engine.then((e) => e.close()).catch(() => undefined);
  };
  const actions: MenuActions = {
    open: showWindow,
    openKiosk,
    closeKiosk,
    quit: () => app.quit(),
    hideWindow,
    about: () => {
      const info = appInfo();
      void dialog.showMessageBox({ type: 'info', title: texts.about, message: `Pass Console ${info.version}`, detail: `Electron ${info.electron} · ${info.platform}` });
    },
    restoreBackup: () =>
      void restoreFromBackup({
        texts,
        database: () => opened?.runtime.db ?? null,
        chooseFile: async (folder) => {
          const chosen = await dialog.showOpenDialog({ title: texts.restoreChoose, defaultPath: folder, properties: ['openFile'], filters: [{ name: 'SQLite', extensions: ['sqlite'] }] });
          return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
        },
        confirm: async (file, folder) => {
          const answer = await dialog.showMessageBox({
            type: 'warning',
            title: texts.restoreTitle,
            message: texts.restoreConfirm(file),
            detail: texts.restoreConfirmDetail(folder),
            buttons: [texts.restoreOk, texts.cancel],
            defaultId: 1,
            cancelId: 1,
          });
          return answer.response === 0;
        },
        shutDown: shutDownEngine,
        showMessage: async (title, message) => void (await dialog.showMessageBox({ type: 'info', title, message })),
        relaunch: () => {
          app.relaunch();
          app.exit(0);
        },
      }),
  };
  function rebuildTray() {
    tray?.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(texts, running, actions, { kioskOpen: kioskWindow !== null && !kioskWindow.isDestroyed() })));
  }

  function openWindow(): BrowserWindow {
    const window = createMainWindow();
    // Closing the window keeps the app (and the scheduler) running in the tray.
    window.on('close', (event) => {
      if (quitting || !tray) return;
      event.preventDefault();
      window.hide();
      if (!toldAboutTray) {
        toldAboutTray = true;
        notify(texts.stillRunningTitle, texts.stillRunningBody);
      }
    });
    return window;
  }

  const ipc = registerIpcHandlers({
    ipcMain,
    engine: () => engine,
    isTrustedSender: (url) => isTrustedUrl(url, devServerUrl()),
    appInfo,
    openPath: (path) => shell.openPath(path),
    logError: (error, channel) => console.error(`[${channel}]`, error),
  });

  // Every WebContents, including any the page might try to create, gets the same limits.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { openExternal }));
  app.on('second-instance', showWindow);
  app.on('window-all-closed', () => {
    // With a tray the app stays up; without one (a desktop without a tray area) closing quits.
    if (!tray) app.quit();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    if (shutDown) return;
    event.preventDefault();
    void shutDownEngine().finally(() => app.quit());
  });

  const ready = app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    handleAppProtocol(protocol, RENDERER_ROOT);
    texts = textsFor(languageOf(app.getLocale()));
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(texts, actions, { devTools: !app.isPackaged, mac: process.platform === 'darwin' })));
    mainWindow = openWindow();
    try {
      tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON));
      tray.setToolTip(texts.tooltip);
      tray.on('click', showWindow);
      rebuildTray();
    } catch (error) {
      console.warn('No tray on this desktop: closing the window will quit.', error);
      tray = null;
    }
    app.on('activate', showWindow);

    try {
      opened = await engine;
    } catch (error) {
      if (smokePng) console.error(`smoke: FAILED: the engine did not open: ${error instanceof Error ? error.message : String(error)}`);
      else dialog.showErrorBox(texts.startFailedTitle, startFailure(error, languageOf(app.getLocale())));
      app.exit(1);
      return;
    }
    watch = watchJobs(opened.runtime.operator.events, {
      changed: (now) => {
        running = now;
        rebuildTray();
      },
      failed: (job) => notify(texts.jobFailedTitle(job.jobName), texts.jobFailedBody(job.executionId, job.exitMessage)),
    });
    if (smokePng && mainWindow) {
      await runSmoke(mainWindow, smokePng).then(
        () => app.exit(0),
        (error: unknown) => {
          console.error(`smoke: FAILED: ${error instanceof Error ? error.message : String(error)}`);
          app.exit(1);
        },
      );
    }
  });
  return { ipc, ready };
}

// Run by Electron, this is the app's entry; imported by a test under plain Node, it only exports.
if (process.versions.electron !== undefined) start();
