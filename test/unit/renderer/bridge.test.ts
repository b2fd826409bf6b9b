// The HTTP bridge (fetch + SSE) and the IPC bridge's error unwrapping.
import { describe, expect, test, vi } from 'vitest';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';
import { httpBridge } from '../../../renderer/src/bridge/httpBridge.ts';
import { errorFromIpc, ipcBridge } from '../../../renderer/src/bridge/ipcBridge.ts';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
}

class FakeEventSource {
  static last: FakeEventSource | null = null;
  listeners = new Map<string, (m: { data: string }) => void>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (m: { data: string }) => void) {
    this.listeners.set(type, listener);
  }
  close() {
    this.closed = true;
  }
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('httpBridge', () => {
  test('signs in, then calls operations by name with the bearer token', async () => {
    const fetch = vi.fn(async (url: string | URL | Request, _init?: RequestInit) => {
      if (String(url).endsWith('/api/session')) return json(200, { token: 'tok', username: 'admin', role: 'ADMIN', expiresAt: 'x' });
      return json(200, [{ packageSeq: 1 }]);
    });
    const bridge = httpBridge({ baseUrl: 'http://h', fetch: fetch as typeof globalThis.fetch, storage: memoryStorage(), EventSource: FakeEventSource as never });
    await bridge.login('admin', 'pw');
    expect(await bridge.call('packages.list', {})).toEqual([{ packageSeq: 1 }]);
    const [url, init] = fetch.mock.calls[1]!;
    expect(url).toBe('http://h/api/rpc/packages.list');
    expect(new Headers(init!.headers).get('authorization')).toBe('Bearer tok');
    expect(init!.body).toBe('{}');
  });

  test("the first run's admin is signed in by setup.createAdmin: its token is kept for the next calls", async () => {
    const fetch = vi.fn(async (url: string | URL | Request, _init?: RequestInit) => {
      if (String(url).endsWith('/api/rpc/setup.createAdmin')) return json(200, { token: 'first', username: 'admin', role: 'ADMIN', expiresAt: 'x' });
      return json(200, { username: 'admin', role: 'ADMIN' });
    });
    const storage = memoryStorage();
    const bridge = httpBridge({ baseUrl: 'http://h', fetch: fetch as typeof globalThis.fetch, storage, EventSource: FakeEventSource as never });
    expect(bridge.token()).toBeNull();
    await bridge.call('setup.createAdmin', { password: 'gym-admin-2026' });
    expect(bridge.token()).toBe('first');
    expect(storage.getItem('passConsole.token')).toBe('first');
    await bridge.call('session.me', {});
    expect(new Headers(fetch.mock.calls[1]![1]!.headers).get('authorization')).toBe('Bearer first');
  });

  test('a refusal becomes a BridgeError with the service code and both messages', async () => {
    const fetch = async () => json(403, { code: 'FORBIDDEN', message: { ko: '권한이 없습니다.', en: 'Not allowed.' } });
    const bridge = httpBridge({ fetch: fetch as never, storage: memoryStorage() });
    const error = await bridge.call('staff.list', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403, text: { ko: '권한이 없습니다.', en: 'Not allowed.' } });
    const offline = httpBridge({ fetch: (async () => Promise.reject(new TypeError('offline'))) as never, storage: memoryStorage() });
    await expect(offline.call('staff.list', {})).rejects.toMatchObject({ code: 'NETWORK' });
  });

  test('an expired session forgets the token', async () => {
    const storage = memoryStorage();
    storage.setItem('passConsole.token', 'old');
    const bridge = httpBridge({ fetch: (async () => json(401, { code: 'UNAUTHENTICATED', message: { ko: 'a', en: 'b' } })) as never, storage });
    expect(bridge.token()).toBe('old');
    await expect(bridge.call('session.me', {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(bridge.token()).toBeNull();
    expect(storage.getItem('passConsole.token')).toBeNull();
  });

  test('events arrive by their SSE event name, and the stream closes with the last listener', async () => {
    const fetch = async () => json(200, { token: 'tok t', username: 'a', role: 'ADMIN', expiresAt: 'x' });
    const bridge = httpBridge({ fetch: fetch as never, storage: memoryStorage(), EventSource: FakeEventSource as never });
    await bridge.login('a', 'b');
    const got: unknown[] = [];
    const unsubscribe = bridge.subscribe((e) => got.push(e));
    const source = FakeEventSource.last!;
    expect(source.url).toBe('/api/events?token=tok%20t');
    source.listeners.get('job-started')!({ data: JSON.stringify({ type: 'job-started', executionId: 1, jobName: 'x' }) });
    source.listeners.get('step-progress')!({ data: 'not json' });
    expect(got).toEqual([{ type: 'job-started', executionId: 1, jobName: 'x' }]);
    unsubscribe();
    expect(source.closed).toBe(true);
  });
});

describe('ipcBridge', () => {
  test('calls go over service:call, errors come back as the service body', async () => {
    const invoke = vi.fn(async (channel: string, payload?: unknown) => {
      if (channel === 'service:call' && (payload as { operation: string }).operation === 'staff.list') {
        throw new Error(`Error invoking remote method 'service:call': Error: ${JSON.stringify({ code: 'FORBIDDEN', message: { ko: '권한', en: 'No' } })}`);
      }
      return { ok: true };
    });
    const bridge = ipcBridge({ version: '1', invoke });
    await bridge.call('packages.list', {});
    expect(invoke).toHaveBeenCalledWith('service:call', { operation: 'packages.list', input: {} });
    await expect(bridge.call('staff.list', {})).rejects.toMatchObject({ code: 'FORBIDDEN', text: { ko: '권한', en: 'No' } });
    expect(errorFromIpc(new Error('boom')).code).toBe('INTERNAL');
  });

  test('events come from the preload’s on(), when it has one', () => {
    const listeners: ((e: any) => void)[] = [];
    const bridge = ipcBridge({ version: '1', invoke: async () => null, on: (_c, l) => (listeners.push(l), () => listeners.pop()) });
    const got: unknown[] = [];
    const off = bridge.subscribe((e) => got.push(e));
    listeners[0]!({ type: 'job-started', executionId: 2, jobName: 'y' });
    off();
    expect(got).toHaveLength(1);
    expect(listeners).toHaveLength(0);
  });
});
