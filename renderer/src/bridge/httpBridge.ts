// The bridge in a browser: POST /api/rpc/:operation with the session's bearer token, the live
// execution stream over SSE (GET /api/events?token=), report files over GET .../file.
//
// The token is kept in localStorage, so a reload and a new tab of the console stay signed in
// until the session expires or the person signs out; signing out (or a refused, expired token)
// removes it, and the `storage` event tells every other tab, which then forget it too.
// The trade-off: any script running on this origin can read localStorage. The console's CSP
// (main/http/server.ts: script-src 'self', no inline script) limits that to our own bundle, and
// the service keeps only the token's SHA-256 and ends it at sign-out and at its expiry. An
// HttpOnly cookie would hide it from scripts, but the API takes a Bearer header (the same
// contract the desktop and scripts use) and a cookie would bring CSRF to every POST.
// The desktop app keeps its session in the main process (IPC), never here.
import { BridgeError, NETWORK_ERROR, withoutBom, type Bridge, type ExecutionEvent } from './Bridge.ts';

const EVENT_TYPES: ExecutionEvent['type'][] = ['job-started', 'job-finished', 'step-progress'];
const TOKEN_KEY = 'passConsole.token';

export interface HttpBridgeOptions {
  /** '' for the page's own origin */
  baseUrl?: string;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

export function httpBridge(options: HttpBridgeOptions = {}): Bridge & { token(): string | null } {
  const base = options.baseUrl ?? '';
  const storage = options.storage ?? (typeof localStorage === 'undefined' ? undefined : localStorage);
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const Source = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
  let token: string | null = storage?.getItem(TOKEN_KEY) ?? null;
  const listeners = new Set<(event: ExecutionEvent) => void>();
  const sessionListeners = new Set<(signedIn: boolean) => void>();
  let source: EventSource | null = null;

  // Another tab signed in or out: take its token (or its sign-out) as ours.
  if (typeof window !== 'undefined' && (options.storage === undefined || (typeof localStorage !== 'undefined' && options.storage === localStorage))) {
    window.addEventListener('storage', (event) => {
      if (event.key !== TOKEN_KEY && event.key !== null) return;
      const next = storage?.getItem(TOKEN_KEY) ?? null;
      if (next === token) return;
      token = next;
      reconnect();
      for (const listener of [...sessionListeners]) listener(token !== null);
    });
  }

  const setToken = (next: string | null) => {
    token = next;
    if (next) storage?.setItem(TOKEN_KEY, next);
    else storage?.removeItem(TOKEN_KEY);
    reconnect();
  };

  function reconnect() {
    source?.close();
    source = null;
    if (!token || listeners.size === 0 || !Source) return;
    const s = new Source(`${base}/api/events?token=${encodeURIComponent(token)}`);
    for (const type of EVENT_TYPES) {
      s.addEventListener(type, (message) => {
        let event: ExecutionEvent;
        try {
          event = JSON.parse((message as MessageEvent<string>).data) as ExecutionEvent;
        } catch {
          return;
        }
        for (const listener of [...listeners]) listener(event);
      });
    }
    source = s;
  }

  async function request(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { ...init, headers });
    } catch {
      throw new BridgeError('NETWORK', NETWORK_ERROR);
    }
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      const error = BridgeError.from(body, response.status);
      if (error.code === 'UNAUTHENTICATED' && token) setToken(null);
      throw error;
    }
    return response;
  }

  const json = async (path: string, body: unknown) =>
    (await request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) })).json();

  return {
    kind: 'http',
    token: () => token,
    async login(username, password) {
      const session = await json('/api/session', { username, password });
      setToken(session.token);
      return session;
    },
    async logout() {
      if (!token) return;
      try {
        await request('/api/session', { method: 'DELETE' });
      } finally {
        setToken(null);
      }
    },
    forget() {
      setToken(null);
    },
    hasSession() {
      return token !== null;
    },
    onSessionChange(listener) {
      sessionListeners.add(listener);
      return () => sessionListeners.delete(listener);
    },
    async call(operation, input) {
      const result = await json(`/api/rpc/${encodeURIComponent(operation)}`, input);
      // The first run's admin is signed in by the very call that creates the account.
      if (operation === 'setup.createAdmin' && typeof result?.token === 'string') setToken(result.token);
      return result;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) reconnect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) reconnect();
      };
    },
    async readReport(reportSeq) {
      const response = await request(`/api/reports/${reportSeq}/file`, { method: 'GET' });
      const disposition = response.headers.get('content-disposition') ?? '';
      const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
      const plain = /filename="([^"]+)"/i.exec(disposition)?.[1];
      const fileName = star ? decodeURIComponent(star) : (plain ?? `report-${reportSeq}.csv`);
      return { fileName, text: withoutBom(await response.text()) };
    },
  };
}
