// 알림: the notification outbox for managers, filtered by member, dates and status, newest first,
// a page at a time by key ("more" adds the next, older page); a failed one resent by hand.
import { DateTime } from 'luxon';
import { create } from 'zustand';
import type { InputOf, NotificationPage, NotificationResend, NotificationStatus } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import type { Words } from '../i18n/words.ts';
import { dayRangeProblem } from '../lib/time24.ts';
import { idle, load, messageOf, type Load } from './errors.ts';

export const NOTIFICATIONS_PAGE = 50;

export interface NotificationFilter {
  userId: string;
  /** yyyy-MM-dd, the gym's day; '' for any */
  from: string;
  /** yyyy-MM-dd, included; '' for any */
  to: string;
  status: NotificationStatus | '';
}

/** The filter as the service takes it: `to` is the day after the last one shown (exclusive). */
export function listInput(filter: NotificationFilter, after?: string): InputOf<'notifications.list'> {
  const to = filter.to ? DateTime.fromISO(filter.to).plus({ days: 1 }).toISODate() : null;
  return {
    pageSize: NOTIFICATIONS_PAGE,
    ...(filter.userId.trim() ? { userId: filter.userId.trim() } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(to ? { to } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(after ? { after } : {}),
  };
}

interface NotificationsState {
  filter: NotificationFilter;
  /** the filter's days as last searched, when they could not be asked for (one not a day, the last before the first): nothing was */
  filterProblem: 'badDate' | 'reversed' | null;
  list: Load<NotificationPage>;
  loadingMore: boolean;
  setFilter(patch: Partial<NotificationFilter>): void;
  reload(): Promise<void>;
  more(): Promise<void>;
  resend(notificationSeq: number): Promise<{ ok: true; result: NotificationResend } | { ok: false; error: Words }>;
}

export const useNotifications = create<NotificationsState>((set, get) => ({
  filter: { userId: '', from: '', to: '', status: '' },
  filterProblem: null,
  list: idle,
  loadingMore: false,
  setFilter(patch) {
    set({ filter: { ...get().filter, ...patch } });
  },
  async reload() {
    const filter = get().filter;
    const filterProblem = dayRangeProblem(filter.from, filter.to);
    set({ filterProblem });
    if (filterProblem) return;
    await load((list) => set({ list }), get().list, () => bridge().call('notifications.list', listInput(filter)));
  },
  async more() {
    const list = get().list;
    if (list.state !== 'ready' || !list.data.next || get().loadingMore || get().filterProblem || dayRangeProblem(get().filter.from, get().filter.to)) return;
    set({ loadingMore: true });
    try {
      const page = await bridge().call('notifications.list', listInput(get().filter, list.data.next));
      const now = get().list;
      if (now.state === 'ready' && now.data === list.data) set({ list: { state: 'ready', data: { items: [...now.data.items, ...page.items], next: page.next } } });
    } finally {
      set({ loadingMore: false });
    }
  },
  async resend(notificationSeq) {
    try {
      const result = await bridge().call('notifications.resend', { notificationSeq });
      const list = get().list;
      if (list.state === 'ready') {
        const items = list.data.items.map((n) => (n.notificationSeq === notificationSeq ? result.notification : n));
        set({ list: { state: 'ready', data: { ...list.data, items } } });
      }
      return { ok: true, result };
    } catch (error) {
      return { ok: false, error: messageOf(error) };
    }
  },
}));
