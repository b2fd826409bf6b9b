// 회원 이용권: search, the open member's groups, passes and bookings, registering a pass; and
// members themselves: create, edit, deactivate or reactivate, add to and remove from groups.
import { create } from 'zustand';
import type { GroupView, InputOf, MemberPage, MemberPasses, MemberSaved, MemberSummary, MemberWarning, PackageView, PaymentMethod } from '../../../main/service/contract.ts';
import { BridgeError } from '../bridge/Bridge.ts';
import { bridge } from '../bridge/index.ts';
import type { Words } from '../i18n/words.ts';
import { idle, load, messageOf, type Load } from './errors.ts';
import { useUi } from './ui.ts';

interface MembersState {
  query: string;
  /** the members shown so far (every page "more" added), how many match in all, and the next page's cursor */
  results: Load<MemberPage>;
  /** a "more" page is being fetched */
  loadingMore: boolean;
  userId: string | null;
  member: Load<MemberPasses>;
  packages: Load<PackageView[]>;
  /** the groups a member can be put in */
  groups: Load<GroupView[]>;
  /** what the last change to the open member raised (a phone already someone's...), until another member is opened */
  warnings: MemberWarning[];
  setQuery(query: string): void;
  search(): Promise<void>;
  /** the next page of the same search, added below the members shown */
  more(): Promise<void>;
  /** opens the member (or reads the open one again), giving their detail as read, or null when it could not be */
  open(userId: string): Promise<MemberPasses | null>;
  loadPackages(): Promise<void>;
  /** a refusal comes with the field at fault, if any (startedAt for a start too far ahead, userId for an inactive member) */
  register(input: { packageSeq: number; startedAt: string; bonusPackageSeq?: number; paymentMethod?: PaymentMethod }): Promise<{ ok: true } | { ok: false; error: Words; field: string | null }>;
  /** cancel one of the open member's passes, with the amount handed back (a sold pass) and why */
  cancelPass(input: InputOf<'passes.cancel'>): Promise<MemberChange>;
  /** give one of the open member's passes more days or uses, and why */
  extendPass(input: InputOf<'passes.extend'>): Promise<MemberChange>;
  loadGroups(force?: boolean): Promise<void>;
  /** a new member, who becomes the open one */
  createMember(input: InputOf<'members.create'>): Promise<MemberChange>;
  /** the open member's name, phone or memo (null clears) */
  updateMember(input: Omit<InputOf<'members.update'>, 'userId'>): Promise<MemberChange>;
  /** deactivate (false) or reactivate (true) the open member */
  setActive(active: boolean): Promise<MemberChange>;
  addToGroup(userGroupId: string): Promise<MemberChange>;
  /** a new group, started with the open member in it */
  addToNewGroup(userGroupName: string): Promise<MemberChange>;
  removeFromGroup(userGroupId: string): Promise<MemberChange>;
}

/** What a change to a member came to: done (with what the desk should know), or refused and why (with the field at fault). */
export type MemberChange = { ok: true; userId: string; warnings: MemberWarning[]; cancelled?: MemberSaved['cancelled'] } | { ok: false; error: Words; field: string | null };

/** Members a search shows at a time; "more" adds the next as many. */
export const SEARCH_PAGE = 50;

/** the query of the search on screen (the box may have changed since) */
let searched = '';

export const useMembers = create<MembersState>((set, get) => ({
  query: '',
  results: idle,
  loadingMore: false,
  userId: null,
  member: idle,
  packages: idle,
  groups: idle,
  warnings: [],
  setQuery(query) {
    set({ query });
  },
  async search() {
    const query = get().query.trim();
    if (!query) return;
    searched = query;
    await load((results) => set({ results }), get().results, () => bridge().call('members.search', { query, limit: SEARCH_PAGE }));
  },
  async more() {
    const results = get().results;
    if (results.state !== 'ready' || !results.data.next || get().loadingMore) return;
    const query = searched;
    set({ loadingMore: true });
    try {
      const page = await bridge().call('members.search', { query, limit: SEARCH_PAGE, after: results.data.next });
      const now = get().results;
      // a new search started meanwhile: this page belongs to the old one
      if (query === searched && now.state === 'ready') {
        // a member registered since the search is shown at its top already (showInList)
        const shown = new Set(now.data.members.map((m) => m.userId));
        const members = [...now.data.members, ...page.members.filter((m) => !shown.has(m.userId))];
        set({ results: { state: 'ready', data: { members, total: Math.max(page.total, members.length), next: page.next } } });
      }
    } catch (error) {
      useUi.getState().toast('error', messageOf(error));
    } finally {
      set({ loadingMore: false });
    }
  },
  async open(userId) {
    set({ userId, member: userId === get().userId ? get().member : idle, warnings: userId === get().userId ? get().warnings : [] });
    const data = await load(
      (member) => {
        if (get().userId === userId) set({ member });
      },
      get().member,
      () => bridge().call('members.passes', { userId }),
    );
    // The list's "usable passes" pill shows what the member's detail just said (after a sale too).
    const results = get().results;
    if (data && results.state === 'ready') {
      const members = results.data.members.map((m) => (m.userId === userId ? { ...m, ...data.member } : m));
      set({ results: { state: 'ready', data: { ...results.data, members } } });
    }
    return data;
  },
  // read again each time a form asks: a manager may have made a package or taken one off sale since
  async loadPackages() {
    await load((packages) => set({ packages }), get().packages, () => bridge().call('packages.list', {}));
  },
  async loadGroups(force = false) {
    if (!force && get().groups.state === 'ready') return;
    await load((groups) => set({ groups }), get().groups, () => bridge().call('groups.list', {}));
  },
  async createMember(input) {
    const outcome = await applyChange(() => bridge().call('members.create', input));
    const made = get().member;
    if (outcome.ok && made.state === 'ready') showInList(made.data.member);
    return outcome;
  },
  async updateMember(input) {
    const userId = get().userId;
    if (!userId) return noMember;
    return applyChange(() => bridge().call('members.update', { userId, ...input }));
  },
  async setActive(active) {
    const userId = get().userId;
    if (!userId) return noMember;
    return applyChange(() => bridge().call(active ? 'members.reactivate' : 'members.deactivate', { userId }));
  },
  async addToNewGroup(userGroupName) {
    const userId = get().userId;
    if (!userId) return noMember;
    return applyChange(() => bridge().call('members.addToNewGroup', { userId, userGroupName }));
  },
  async addToGroup(userGroupId) {
    const userId = get().userId;
    if (!userId) return noMember;
    return applyChange(() => bridge().call('members.addToGroup', { userId, userGroupId }));
  },
  async removeFromGroup(userGroupId) {
    const userId = get().userId;
    if (!userId) return noMember;
    return applyChange(() => bridge().call('members.removeFromGroup', { userId, userGroupId }));
  },
  async cancelPass(input) {
    if (!get().userId) return noMember;
    // the answer is the member as now: the same shape as a change to the member, with no warnings
    return applyChange(async () => ({ ...(await bridge().call('passes.cancel', input)), warnings: [] }));
  },
  async extendPass(input) {
    if (!get().userId) return noMember;
    return applyChange(async () => ({ detail: (await bridge().call('passes.extend', input)).detail, warnings: [] }));
  },
  async register(input) {
    const userId = get().userId;
    if (!userId) return { ok: false, error: { ko: '회원을 고르세요.', en: 'Pick a member.' }, field: null };
    try {
      await bridge().call('passes.register', { userId, ...input });
      await get().open(userId);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: messageOf(error), field: error instanceof BridgeError ? (error.field ?? null) : null };
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

/**
 * A member just registered, in the list beside their detail (selected, as the open member is): at
 * the top of the search on screen, or, with none, as a search for their id would show them.
 */
function showInList(member: MemberSummary): void {
  const row: MemberSummary = { userId: member.userId, userName: member.userName, phone: member.phone, status: member.status, livePasses: member.livePasses };
  const results = useMembers.getState().results;
  if (results.state === 'ready') {
    if (results.data.members.some((m) => m.userId === row.userId)) return;
    useMembers.setState({ results: { state: 'ready', data: { ...results.data, members: [row, ...results.data.members], total: results.data.total + 1 } } });
    return;
  }
  searched = row.userId;
  useMembers.setState({ query: row.userId, results: { state: 'ready', data: { members: [row], total: 1, next: null } } });
}

const noMember: MemberChange = { ok: false, error: { ko: '회원을 고르세요.', en: 'Pick a member.' }, field: null };

/**
 * Runs a change and shows its outcome: the changed member becomes the open one, and the search's
 * row for them (name, phone, status) follows. The group counts change too, so they are read again.
 */
async function applyChange(run: () => Promise<MemberSaved>): Promise<MemberChange> {
  let saved: MemberSaved;
  try {
    saved = await run();
  } catch (error) {
    return { ok: false, error: messageOf(error), field: error instanceof BridgeError ? (error.field ?? null) : null };
  }
  const { member } = saved.detail;
  const state = useMembers.getState();
  const results = state.results;
  useMembers.setState({
    userId: member.userId,
    member: { state: 'ready', data: saved.detail },
    warnings: saved.warnings,
    ...(results.state === 'ready'
      ? { results: { state: 'ready', data: { ...results.data, members: results.data.members.map((m) => (m.userId === member.userId ? { ...m, userName: member.userName, phone: member.phone, status: member.status, livePasses: member.livePasses } : m)) } } }
      : {}),
  });
  if (state.groups.state !== 'idle') void state.loadGroups(true);
  return { ok: true, userId: member.userId, warnings: saved.warnings, ...(saved.cancelled ? { cancelled: saved.cancelled } : {}) };
}
