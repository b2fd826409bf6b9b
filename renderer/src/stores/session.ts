// Who is signed in, and what their role lets the screens show.
import { create } from 'zustand';
import type { Me, Role } from '../../../main/service/contract.ts';
import { BridgeError } from '../bridge/Bridge.ts';
import { bridge } from '../bridge/index.ts';
import { PASSWORD_RULE } from '../lib/usernameRule.ts';
import type { Words } from '../i18n/words.ts';
import { codeOf, messageOf } from './errors.ts';

/** How the first run starts the gym: empty for real use, or with the demo gym to try the console. */
export type FirstGym = 'empty' | 'demo';

const RANK: Record<Role, number> = { FRONT_DESK: 0, MANAGER: 1, ADMIN: 2, KIOSK: -1 };

/** As the service's roleAtLeast: the staff's ranks; a kiosk account sees no staff screen, and staff no kiosk. */
export function atLeast(role: Role | undefined, least: Role): boolean {
  if (role === undefined) return false;
  if (role === 'KIOSK' || least === 'KIOSK') return role === least;
  return RANK[role] >= RANK[least];
}

/** Any new password: as the service takes it (10–200 characters; the service also refuses the username and common ones), typed twice alike. */
export const ADMIN_PASSWORD_MIN = PASSWORD_RULE.min;
export const ADMIN_PASSWORD_MAX = PASSWORD_RULE.max;

export function adminPasswordProblem(password: string, confirmation: string): 'passwordTooShort' | 'passwordTooLong' | 'passwordMismatch' | null {
  if (password.length < ADMIN_PASSWORD_MIN) return 'passwordTooShort';
  if (password.length > ADMIN_PASSWORD_MAX) return 'passwordTooLong';
  if (password !== confirmation) return 'passwordMismatch';
  return null;
}

interface SessionState {
  status: 'checking' | 'signedOut' | 'signedIn';
  me: Me | null;
  error: Words | null;
  busy: boolean;
  /** first run: no staff account exists yet, so the admin's password is chosen here; null until asked */
  needsAdmin: boolean | null;
  /** first run: the database already has members, packages or passes, so there is no gym to choose */
  hasGymData: boolean;
  restore(): Promise<void>;
  /** asks the service whether this is the first run (an older service that cannot say: a normal sign-in) */
  checkSetup(): Promise<void>;
  /** creates the `admin` account with this password and signs it in; `gym`: an empty gym, or the demo gym added first */
  createAdmin(password: string, gym?: FirstGym): Promise<boolean>;
  login(username: string, password: string): Promise<boolean>;
  logout(): Promise<void>;
  /** the change-password form is open by choice (it is always open while me.mustChangePassword) */
  changingPassword: boolean;
  openChangePassword(): void;
  closeChangePassword(): void;
  /** session.changePassword; on success the console opens (or returns) where it was */
  changePassword(current: string, next: string): Promise<boolean>;
  /** follow sign-ins and sign-outs made in the browser's other tabs (once) */
  followOtherTabs(): void;
  /** the service said the session is gone */
  expired(): void;
}

let followingTabs = false;

export const useSession = create<SessionState>((set, get) => ({
  status: 'checking',
  me: null,
  error: null,
  busy: false,
  needsAdmin: null,
  hasGymData: false,
  changingPassword: false,
  openChangePassword() {
    set({ changingPassword: true, error: null });
  },
  closeChangePassword() {
    set({ changingPassword: false, error: null });
  },
  async changePassword(current, next) {
    set({ busy: true, error: null });
    try {
      await bridge().call('session.changePassword', { current, next });
      const me = get().me;
      set({ busy: false, changingPassword: false, ...(me ? { me: { ...me, mustChangePassword: false } } : {}) });
      return true;
    } catch (error) {
      set({ error: messageOf(error), busy: false });
      return false;
    }
  },
  followOtherTabs() {
    if (followingTabs) return;
    const b = bridge();
    if (!b.onSessionChange) return;
    followingTabs = true;
    b.onSessionChange((signedIn) => {
      if (signedIn) void get().restore();
      else set({ status: 'signedOut', me: null, error: null, changingPassword: false });
    });
  },
  async checkSetup() {
    try {
      const { needsAdmin, hasGymData } = await bridge().call('setup.status', {});
      set({ needsAdmin, hasGymData: hasGymData === true });
    } catch {
      set({ needsAdmin: false });
    }
  },
  async createAdmin(password, gym = 'empty') {
    set({ busy: true, error: null });
    try {
      const session = await bridge().call('setup.createAdmin', { password, gym });
      set({ status: 'signedIn', me: { username: session.username, role: session.role, mustChangePassword: session.mustChangePassword }, busy: false, needsAdmin: false });
      return true;
    } catch (error) {
      // CONFLICT: someone made an account meanwhile (another desk): sign in instead. A refusal of
      // the demo gym (the database got gym data meanwhile): the form stops offering the choice.
      const gymRefused = codeOf(error) === 'VALIDATION' && error instanceof BridgeError && error.field === 'gym';
      set({ error: messageOf(error), busy: false, ...(codeOf(error) === 'CONFLICT' ? { needsAdmin: false } : {}), ...(gymRefused ? { hasGymData: true } : {}) });
      return false;
    }
  },
  async restore() {
    // No token in this browser: signed out, without a session check the service could only refuse.
    if (bridge().hasSession?.() === false) {
      set({ status: 'signedOut', me: null });
      return;
    }
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
      set({ status: 'signedIn', me: { username: session.username, role: session.role, mustChangePassword: session.mustChangePassword }, busy: false });
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
    set({ status: 'signedOut', me: null, error: null, changingPassword: false });
  },
  expired() {
    bridge().forget();
    set({ status: 'signedOut', me: null });
  },
}));
