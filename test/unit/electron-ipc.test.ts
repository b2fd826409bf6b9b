// main/electron/ipc.ts: the service over IPC, with a fake `electron` and a fake engine
// (test/support/fakeElectron.ts): what the handlers let through, sessions kept in main, errors
// and live events.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type InvokeChannel, type IpcEnvelope } from '../../main/electron/channels.ts';
import { electron, fakeEngine, ipcEvent, resetFakeElectron, settle, TRUSTED } from '../support/fakeElectron.ts';

// One fake for the file: a module reset (vi.resetModules) loads `electron` again, and gets the same one.
const fake = await vi.hoisted(() => import('../support/fakeElectron.ts'));
vi.mock('electron', () => fake.electron);

beforeEach(resetFakeElectron);

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
