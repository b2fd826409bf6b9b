// 회원 이용권: search, the open member's passes and bookings, registering a pass.
import { create } from 'zustand';
import type { MemberPasses, MemberSummary, PackageView } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import type { Words } from '../i18n/words.ts';
import { idle, load, messageOf, type Load } from './errors.ts';

interface MembersState {
  query: string;
  results: Load<MemberSummary[]>;
  userId: string | null;
  member: Load<MemberPasses>;
  packages: Load<PackageView[]>;
  setQuery(query: string): void;
  search(): Promise<void>;
  open(userId: string): Promise<void>;
  loadPackages(): Promise<void>;
  register(input: { packageSeq: number; startedAt: string; bonusPackageSeq?: number }): Promise<{ ok: true } | { ok: false; error: Words }>;
}

export const useMembers = create<MembersState>((set, get) => ({
  query: '',
  results: idle,
  userId: null,
  member: idle,
  packages: idle,
  setQuery(query) {
    set({ query });
  },
  async search() {
    const query = get().query.trim();
    if (!query) return;
    await load((results) => set({ results }), get().results, () => bridge().call('members.search', { query, limit: 50 }));
  },
  async open(userId) {
    set({ userId, member: userId === get().userId ? get().member : idle });
    await load(
      (member) => {
        if (get().userId === userId) set({ member });
      },
      get().member,
      () => bridge().call('members.passes', { userId }),
    );
  },
  async loadPackages() {
    if (get().packages.state === 'ready') return;
    await load((packages) => set({ packages }), get().packages, () => bridge().call('packages.list', {}));
  },
  async register(input) {
    const userId = get().userId;
    if (!userId) return { ok: false, error: { ko: '회원을 고르세요.', en: 'Pick a member.' } };
    try {
      await bridge().call('passes.register', { userId, ...input });
      await get().open(userId);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: messageOf(error) };
    }
  },
}));

/** How much of a pass is used up, 0..1, by uses when counted, else by time; null when neither. */
export function passProgress(pass: { remainingCount: number | null; startedAt: string; endedAt: string | null }, packageCount: number | null, now = Date.now()): number | null {
  if (pass.remainingCount !== null && packageCount && packageCount > 0) {
    return Math.min(1, Math.max(0, 1 - pass.remainingCount / packageCount));
  }
  if (pass.endedAt) {
    const start = Date.parse(pass.startedAt);
    const end = Date.parse(pass.endedAt);
    if (end > start) return Math.min(1, Math.max(0, (now - start) / (end - start)));
  }
  return null;
}
