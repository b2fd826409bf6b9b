// Who is signed in, and what their role lets the screens show.
import { create } from 'zustand';
import type { Me, Role } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import type { Words } from '../i18n/words.ts';
import { messageOf } from './errors.ts';

const RANK: Record<Role, number> = { FRONT_DESK: 0, MANAGER: 1, ADMIN: 2 };

export function atLeast(role: Role | undefined, least: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[least];
}

interface SessionState {
  status: 'checking' | 'signedOut' | 'signedIn';
  me: Me | null;
  error: Words | null;
  busy: boolean;
  restore(): Promise<void>;
  login(username: string, password: string): Promise<boolean>;
  logout(): Promise<void>;
  /** the service said the session is gone */
  expired(): void;
}

export const useSession = create<SessionState>((set) => ({
  status: 'checking',
  me: null,
  error: null,
  busy: false,
  async restore() {
    try {
      const me = await bridge().call('session.me', {});
      set({ status: 'signedIn', me });
    } catch {
      bridge().forget();
      set({ status: 'signedOut', me: null });
    }
  },
  async login(username, password) {
    set({ busy: true, error: null });
    try {
      const session = await bridge().login(username, password);
      set({ status: 'signedIn', me: { username: session.username, role: session.role }, busy: false });
      return true;
    } catch (error) {
      set({ error: messageOf(error), busy: false });
      return false;
    }
  },
  async logout() {
    try {
      await bridge().logout();
    } catch {
      // signed out here either way
    }
    set({ status: 'signedOut', me: null, error: null });
  },
  expired() {
    bridge().forget();
    set({ status: 'signedOut', me: null });
  },
}));
