// Which screen is open (kept in the address's #hash so reload and back work), the gym's time
// zone, and the short outcome messages ("toasts") actions leave behind.
import { create } from 'zustand';
import type { Role } from '../../../main/service/contract.ts';
import type { WordKey, Words } from '../i18n/words.ts';
import { DEFAULT_TIME_ZONE } from '../lib/format.ts';

export type Screen = 'executions' | 'schedules' | 'members' | 'classes' | 'imports' | 'bulkGrants' | 'packages' | 'statistics' | 'reports' | 'notifications' | 'audit' | 'settings' | 'staff' | 'kiosk';

export interface ScreenSpec {
  id: Screen;
  label: WordKey;
  least: Role;
}

/** The navigation, in order; each screen names the least role that sees it. */
export const SCREENS: ScreenSpec[] = [
  { id: 'executions', label: 'navExecutions', least: 'MANAGER' },
  { id: 'schedules', label: 'navSchedules', least: 'ADMIN' },
  { id: 'members', label: 'navMembers', least: 'FRONT_DESK' },
  { id: 'classes', label: 'navClasses', least: 'FRONT_DESK' },
  { id: 'imports', label: 'navImports', least: 'FRONT_DESK' },
  { id: 'bulkGrants', label: 'navBulkGrants', least: 'FRONT_DESK' },
  { id: 'packages', label: 'navPackages', least: 'MANAGER' },
  { id: 'statistics', label: 'navStatistics', least: 'MANAGER' },
  { id: 'reports', label: 'navReports', least: 'MANAGER' },
  { id: 'notifications', label: 'navNotifications', least: 'MANAGER' },
  { id: 'audit', label: 'navAudit', least: 'ADMIN' },
  { id: 'staff', label: 'navStaff', least: 'ADMIN' },
  { id: 'settings', label: 'navSettings', least: 'ADMIN' },
  // a kiosk account's one screen; no staff role sees it (atLeast: KIOSK matches KIOSK only)
  { id: 'kiosk', label: 'navKiosk', least: 'KIOSK' },
];

/** Where each role lands after signing in. */
export function homeOf(role: Role): Screen {
  if (role === 'KIOSK') return 'kiosk';
  return role === 'ADMIN' ? 'executions' : role === 'MANAGER' ? 'statistics' : 'members';
}

/**
 * The check-in kiosk's window: the page at /kiosk (a browser, `pass-batch serve`) or with #kiosk
 * (the desktop's second window). There the console is never shown: a kiosk account gets the
 * kiosk screen, any other account is told this window needs one.
 */
export function isKioskLocation(where: { pathname: string; hash: string } | undefined = typeof location === 'undefined' ? undefined : location): boolean {
  if (!where) return false;
  return /^\/kiosk\/?$/.test(where.pathname) || /^#\/?kiosk$/.test(where.hash);
}

function screenFromHash(): Screen | null {
  if (typeof location === 'undefined') return null;
  const id = location.hash.replace(/^#\/?/, '').split('/')[0];
  return SCREENS.some((s) => s.id === id) ? (id as Screen) : null;
}

export interface Toast {
  id: number;
  kind: 'success' | 'error';
  text: Words;
}

interface UiState {
  screen: Screen | null;
  /** this page is the check-in kiosk's window (isKioskLocation, read once as the page opens) */
  kioskMode: boolean;
  timeZone: string;
  toasts: Toast[];
  go(screen: Screen): void;
  syncFromHash(): void;
  setTimeZone(zone: string): void;
  /** shows a message; its id, for taking it down early (an error the desk has since corrected) */
  toast(kind: Toast['kind'], text: Words): number;
  dismiss(id: number): void;
}

let toastId = 0;

export const useUi = create<UiState>((set) => ({
  screen: screenFromHash(),
  kioskMode: isKioskLocation(),
  timeZone: DEFAULT_TIME_ZONE,
  toasts: [],
  go(screen) {
    if (typeof location !== 'undefined' && location.hash !== `#/${screen}`) location.hash = `#/${screen}`;
    set({ screen });
  },
  syncFromHash() {
    const screen = screenFromHash();
    if (screen) set({ screen });
  },
  setTimeZone(timeZone) {
    set({ timeZone });
  },
  toast(kind, text) {
    const id = ++toastId;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, text }] }));
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), kind === 'error' ? 8000 : 5000);
    return id;
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
}));
