// @vitest-environment happy-dom
// Issue 16 in the renderer's stores and bridge: the member list's pill follows the member's
// detail (after a sale), a search pages with "more"; the browser keeps its session in
// localStorage, so a reload and a new tab stay signed in, and signing out in one tab signs
// every tab out.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { setBridge } from '../../../renderer/src/bridge/index.ts';
import { httpBridge } from '../../../renderer/src/bridge/httpBridge.ts';
import { useMembers } from '../../../renderer/src/stores/members.ts';
import { fakeBridge } from './fakeBridge.ts';

const member = (n: number, live = 1) => ({ userId: `M${n}`, userName: `회원 ${n}`, phone: '01012345678', status: 'ACTIVE' as const, livePasses: live });

describe('members store', () => {
  let live: number;
  beforeEach(() => {
    live = 2;
    const all = Array.from({ length: 60 }, (_, i) => member(1000 + i));
    setBridge(
      fakeBridge({
        'members.search': ({ after }: { after?: string }) => {
          const from = after ? Number(after) : 0;
          const members = all.slice(from, from + 50).map((m) => (m.userId === 'M1000' ? { ...m, livePasses: live } : m));
          return { members, total: all.length, next: from + 50 < all.length ? String(from + 50) : null };
        },
        'members.passes': ({ userId }: { userId: string }) => ({ member: { ...member(Number(userId.slice(1))), livePasses: userId === 'M1000' ? live : 1 }, passes: [], bookings: [] }),
        'passes.register': () => {
          live += 1;
          return { passes: [] };
        },
      }),
    );
    useMembers.setState({ query: '', results: { state: 'idle' }, userId: null, member: { state: 'idle' }, loadingMore: false });
  });

  test("after registering a pass, the member list's usable-passes count is the detail's new count", async () => {
    useMembers.getState().setQuery('010');
    await useMembers.getState().search();
    await useMembers.getState().open('M1000');
    const pill = () => {
      const r = useMembers.getState().results;
      return r.state === 'ready' ? r.data.members.find((m) => m.userId === 'M1000')?.livePasses : undefined;
    };
    expect(pill()).toBe(2);
    expect(await useMembers.getState().register({ packageSeq: 1, startedAt: '2026-12-06' })).toEqual({ ok: true });
    expect(pill()).toBe(3);
  });

  test('a search shows 50 of its total and "more" adds the next page below them', async () => {
    useMembers.getState().setQuery('010');
    await useMembers.getState().search();
    let r = useMembers.getState().results;
    expect(r.state === 'ready' && [r.data.members.length, r.data.total, r.data.next]).toEqual([50, 60, '50']);
    await useMembers.getState().more();
    r = useMembers.getState().results;
    expect(r.state === 'ready' && [r.data.members.length, r.data.total, r.data.next]).toEqual([60, 60, null]);
    expect(r.state === 'ready' && new Set(r.data.members.map((m) => m.userId)).size).toBe(60);
  });
});

describe('the browser session (httpBridge)', () => {
  const ok = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  const session = { token: 'tok-1', username: 'desk', role: 'FRONT_DESK', expiresAt: '2099-01-01T00:00:00Z', mustChangePassword: false };
  afterEach(() => localStorage.clear());

  test('a sign-in is kept in localStorage, so a reload and a new tab (a new bridge) use the same session', async () => {
    const fetch = vi.fn(async (url: string | URL | Request, _init?: RequestInit) => (String(url).endsWith('/api/session') ? ok(session) : ok({ username: 'desk', role: 'FRONT_DESK', mustChangePassword: false })));
    const first = httpBridge({ fetch: fetch as typeof globalThis.fetch });
    await first.login('desk', 'desk-password-1');
    expect(localStorage.getItem('passConsole.token')).toBe('tok-1');
    const newTab = httpBridge({ fetch: fetch as typeof globalThis.fetch });
    expect(newTab.token()).toBe('tok-1');
    await newTab.call('session.me', {});
    expect(new Headers(fetch.mock.calls.at(-1)![1]!.headers).get('authorization')).toBe('Bearer tok-1');
  });

  test('signing out in one tab forgets the session in every other tab, which then show the sign-in screen', async () => {
    const fetch = vi.fn(async () => ok(session));
    const here = httpBridge({ fetch: fetch as typeof globalThis.fetch });
    await here.login('desk', 'desk-password-1');
    const otherTab = httpBridge({ fetch: fetch as typeof globalThis.fetch });
    const ended = vi.fn();
    otherTab.onSessionChange?.(ended);
    await here.logout();
    expect(localStorage.getItem('passConsole.token')).toBeNull();
    // what the browser tells the other tabs when one of them changes localStorage
    window.dispatchEvent(new StorageEvent('storage', { key: 'passConsole.token', oldValue: 'tok-1', newValue: null, storageArea: localStorage }));
    expect(otherTab.token()).toBeNull();
    expect(ended).toHaveBeenCalledWith(false);
  });
});
