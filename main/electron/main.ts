// The desktop shell: one sandboxed window whose only way into main is the preload's
// allow-listed invoke(). Kept thin: the engine and the service arrive through their own files.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain } from 'electron';
import { INVOKE_CHANNELS, VERSION_ARGUMENT, type AppInfo, type InvokeChannel } from './channels.ts';

// Built, this file is out/main/index.js, beside out/preload/ and out/renderer/.
const here = dirname(fileURLToPath(import.meta.url));
export const PRELOAD_PATH = join(here, '../preload/index.cjs');
export const RENDERER_INDEX = join(here, '../renderer/index.html');

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Pass Console',
    show: false,
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      additionalArguments: [`${VERSION_ARGUMENT}${app.getVersion()}`],
    },
  });
  window.once('ready-to-show', () => window.show());
  // No pop-ups: every screen lives in this one window.
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));

  // `electron-vite dev` serves the renderer with hot reload and says where in this variable.
  const devServerUrl = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devServerUrl) {
    void window.loadURL(devServerUrl);
  } else {
    void window.loadFile(RENDERER_INDEX);
  }
  return window;
}

// One handler per allow-listed channel; the Record type makes a missing one a compile error.
const handlers: Record<InvokeChannel, (payload: unknown) => unknown> = {
  'app:info': (): AppInfo => ({
    name: app.getName(),
    version: app.getVersion(),
    platform: process.platform,
    electron: process.versions.electron ?? '',
  }),
};

export function registerIpcHandlers(): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (_event, payload: unknown) => handlers[channel](payload));
  }
}

export function start(): void {
  // A second launch focuses the running console instead of opening a second engine on the same database.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    // macOS apps stay in the dock until Cmd+Q.
    if (process.platform !== 'darwin') app.quit();
  });

  registerIpcHandlers();
  void app.whenReady().then(() => {
    mainWindow = createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow();
    });
  });
}

// Run by Electron, this is the app's entry; imported by a test under plain Node, it only exports.
if (process.versions.electron !== undefined) start();
