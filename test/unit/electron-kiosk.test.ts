// The check-in kiosk's second window on the desktop (issue 18, slice 4), under plain Node with the
// fake `electron` (test/support/fakeElectron.ts): the menu item in the application menu and the
// tray, one kiosk window at a time (asked again, it is focused), the main window's hardened
// webPreferences, full screen on the display facing the members, the page at #kiosk, and a
// session of its own (IPC keeps one per WebContents).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { appMenuTemplate, textsFor, trayMenuTemplate, type MenuActions } from '../../main/electron/menus.ts';
import { electron, fakeEngine, ipcEvent, resetFakeElectron, settle, TRUSTED, type Listener } from '../support/fakeElectron.ts';

const fake = await vi.hoisted(() => import('../support/fakeElectron.ts'));
vi.mock('electron', () => fake.electron);
vi.mock('../../main/app/console.ts', () => ({ openConsole: vi.fn() }));

beforeEach(resetFakeElectron);

type Item = { id?: string; label?: string; click?: () => void; submenu?: Item[]; type?: string };

const noActions = (): MenuActions & Record<string, ReturnType<typeof vi.fn>> => ({
  open: vi.fn(),
  openKiosk: vi.fn(),
  closeKiosk: vi.fn(),
  quit: vi.fn(),
  hideWindow: vi.fn(),
  about: vi.fn(),
  restoreBackup: vi.fn(),
});

describe('the menus: the check-in kiosk window', () => {
  it.each([
    ['ko', '출석 키오스크 창 열기', '출석 키오스크 창 닫기'],
    ['en', 'Open the check-in kiosk window', 'Close the check-in kiosk window'],
  ] as const)('the File menu and the tray offer to open it, and the tray to close it while it is open (%s)', (lang, open, close) => {
    const texts = textsFor(lang);
    const actions = noActions();
    const file = (appMenuTemplate(texts, actions, { devTools: false, mac: false }) as Item[])[0]!;
    const fromFile = file.submenu!.find((item) => item.id === 'open-kiosk')!;
    expect(fromFile.label).toBe(open);
    fromFile.click!();
    expect(actions.openKiosk).toHaveBeenCalledOnce();

    const closed = trayMenuTemplate(texts, [], actions) as Item[];
    expect(closed.find((item) => item.id === 'open-kiosk')!.label).toBe(open);
    expect(closed.some((item) => item.id === 'close-kiosk')).toBe(false);

    const opened = trayMenuTemplate(texts, [], actions, { kioskOpen: true }) as Item[];
    const closeItem = opened.find((item) => item.id === 'close-kiosk')!;
    expect(closeItem.label).toBe(close);
    closeItem.click!();
    expect(actions.closeKiosk).toHaveBeenCalledOnce();
    opened.find((item) => item.id === 'open-kiosk')!.click!();
    expect(actions.openKiosk).toHaveBeenCalledTimes(2);
  });

  it('the macOS application menu has the item in its File menu too', () => {
    const template = appMenuTemplate(textsFor('en'), noActions(), { devTools: false, mac: true }) as Item[];
    const items = template.flatMap((menu) => menu.submenu ?? []);
    expect(items.filter((item) => item.id === 'open-kiosk').map((item) => item.label)).toEqual(['Open the check-in kiosk window']);
  });
});

describe('main/electron/main.ts: the kiosk window', () => {
  async function started() {
    const engine = fakeEngine();
    const { start } = await import('../../main/electron/main.ts');
    const shell = start({ openEngine: async () => engine.engine })!;
    await shell.ready;
    await settle();
    const template = electron.Menu.setApplicationMenu.mock.calls[0]![0].template as Item[];
    const openKiosk = template.flatMap((menu) => menu.submenu ?? []).find((item) => item.id === 'open-kiosk')!;
    const tray = () => electron.trays[0]!.setContextMenu.mock.calls.at(-1)![0].template as Item[];
    return { engine, shell, openKiosk, tray };
  }

  it('opens a second window with the main window’s webPreferences, in kiosk mode, loading the page at #kiosk', async () => {
    const { openKiosk } = await started();
    expect(electron.windows).toHaveLength(1);
    openKiosk.click!();
    expect(electron.windows).toHaveLength(2);
    const [main, kiosk] = electron.windows as [(typeof electron.windows)[number], (typeof electron.windows)[number]];
    expect(kiosk.options.webPreferences).toEqual(main.options.webPreferences);
    expect(kiosk.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(kiosk.options).toMatchObject({ kiosk: true, show: false });
    expect(kiosk.removeMenu).toHaveBeenCalled();
    expect(kiosk.loadURL).toHaveBeenCalledWith('app://console/index.html#kiosk');
    expect(kiosk.show).toHaveBeenCalled();
    expect(kiosk.focus).toHaveBeenCalled();
    // hardened like the main window: no navigation away, no new windows
    expect(kiosk.webContents.emit('will-navigate', 'https://evil.example.com/').defaultPrevented).toBe(true);
    const openHandler = kiosk.webContents.setWindowOpenHandler.mock.calls[0]![0] as Listener;
    expect(openHandler({ url: 'https://evil.example.com/' })).toEqual({ action: 'deny' });
  });

  it('goes on the second display when there is one (the screen facing the members), else on the only one', async () => {
    electron.displays.push({ id: 2, bounds: { x: 1920, y: 0, width: 1080, height: 1920 } });
    const { openKiosk } = await started();
    openKiosk.click!();
    expect(electron.windows[1]!.options).toMatchObject({ x: 1920, y: 0, width: 1080, height: 1920 });

    resetFakeElectron();
    const again = await started();
    again.openKiosk.click!();
    expect(electron.windows[1]!.options).toMatchObject({ x: 0, y: 0, width: 1920, height: 1080 });
  });

  it('only one kiosk window at a time: asked again, the open one is brought back and focused', async () => {
    const { openKiosk, tray } = await started();
    openKiosk.click!();
    const kiosk = electron.windows[1]!;
    kiosk.isMinimized.mockReturnValue(true);
    tray().find((item) => item.id === 'open-kiosk')!.click!();
    expect(electron.windows).toHaveLength(2);
    expect(kiosk.restore).toHaveBeenCalled();
    expect(kiosk.focus).toHaveBeenCalledTimes(2);
    // the main window was not touched
    expect(electron.windows[0]!.focus).not.toHaveBeenCalled();
  });

  it('the tray closes it; once closed it really closes (no hiding to the tray) and the next request opens a new one', async () => {
    const { openKiosk, tray } = await started();
    expect(tray().some((item) => item.id === 'close-kiosk')).toBe(false);
    openKiosk.click!();
    const kiosk = electron.windows[1]!;
    const closeItem = tray().find((item) => item.id === 'close-kiosk')!;
    closeItem.click!();
    expect(kiosk.close).toHaveBeenCalledOnce();
    // the kiosk's close is not turned into a hide, as the main window's is
    expect(kiosk.emit('close').defaultPrevented).toBe(false);
    kiosk.isDestroyed.mockReturnValue(true);
    kiosk.emit('closed');
    expect(tray().some((item) => item.id === 'close-kiosk')).toBe(false);

    openKiosk.click!();
    expect(electron.windows).toHaveLength(3);
    expect(electron.windows[2]!.loadURL).toHaveBeenCalledWith('app://console/index.html#kiosk');
  });

  it('the kiosk window signs in on its own: its session is not the main window’s, and it ends when the window goes', async () => {
    const { engine, shell, openKiosk } = await started();
    openKiosk.click!();
    const [main, kiosk] = [electron.windows[0]!.webContents, electron.windows[1]!.webContents];
    const login = electron.ipcMain.handle.mock.calls.find((call: unknown[]) => call[0] === 'service:login')![1] as Listener;
    await login(ipcEvent(`${TRUSTED}#kiosk`, kiosk), { username: 'kiosk1', password: 'right-password' });
    expect(shell.ipc.sessions.has(kiosk.id)).toBe(true);
    expect(shell.ipc.sessions.has(main.id)).toBe(false);

    const call = electron.ipcMain.handle.mock.calls.find((c: unknown[]) => c[0] === 'service:call')![1] as Listener;
    expect(await call(ipcEvent(`${TRUSTED}#kiosk`, kiosk), { operation: 'kiosk.find', input: { phoneLast4: '1234' } })).toEqual({
      ok: true,
      value: { called: 'kiosk.find', by: 'kiosk1', input: { phoneLast4: '1234' } },
    });
    // the main window has no session from it
    expect(await call(ipcEvent(TRUSTED, main), { operation: 'kiosk.find', input: { phoneLast4: '1234' } })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });

    kiosk.emit('destroyed');
    await settle();
    expect(shell.ipc.sessions.has(kiosk.id)).toBe(false);
    expect(engine.sessions.size).toBe(0);
  });
});
