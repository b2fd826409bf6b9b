// main/electron/preload.ts: what it exposes to the page, with a fake `electron`
// (test/support/fakeElectron.ts), and that it agrees with the renderer's bridge.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type InvokeChannel } from '../../main/electron/channels.ts';
import type { PassConsoleBridge } from '../../main/electron/preload.ts';
import type { PassConsoleIpc } from '../../renderer/src/bridge/ipcBridge.ts';
import { electron, resetFakeElectron, type Listener } from '../support/fakeElectron.ts';

// One fake for the file: a module reset (vi.resetModules) loads `electron` again, and gets the same one.
const fake = await vi.hoisted(() => import('../support/fakeElectron.ts'));
vi.mock('electron', () => fake.electron);

beforeEach(resetFakeElectron);

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
