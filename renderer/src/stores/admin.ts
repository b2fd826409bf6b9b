// The admin's areas: schedules, the activity log and staff accounts.
import { create } from 'zustand';
import type { AuditEntry, InputOf, Paged, Role, ScheduleEntry, StaffView } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import type { Words } from '../i18n/words.ts';
import { idle, load, messageOf, type Load } from './errors.ts';

type Outcome = { ok: true } | { ok: false; error: Words };

async function attempt(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}

interface SchedulesState {
  schedules: Load<ScheduleEntry[]>;
  reload(): Promise<void>;
  update(input: InputOf<'schedules.update'>): Promise<Outcome>;
}

export const useSchedules = create<SchedulesState>((set, get) => ({
  schedules: idle,
  async reload() {
    await load((schedules) => set({ schedules }), get().schedules, () => bridge().call('schedules.list', {}));
  },
  async update(input) {
    const outcome = await attempt(() => bridge().call('schedules.update', input));
    if (outcome.ok) await get().reload();
    return outcome;
  },
}));

interface AuditState {
  page: number;
  actor: string;
  entries: Load<Paged<AuditEntry>>;
  setActor(actor: string): void;
  go(page: number): Promise<void>;
}

export const AUDIT_PAGE_SIZE = 50;

export const useAudit = create<AuditState>((set, get) => ({
  page: 1,
  actor: '',
  entries: idle,
  setActor(actor) {
    set({ actor });
  },
  async go(page) {
    set({ page });
    const actor = get().actor.trim();
    await load((entries) => set({ entries }), get().entries, () =>
      bridge().call('audit.list', { page, pageSize: AUDIT_PAGE_SIZE, ...(actor ? { actor } : {}) }),
    );
  },
}));

interface StaffState {
  staff: Load<StaffView[]>;
  reload(): Promise<void>;
  create(username: string, password: string, role: Role): Promise<Outcome>;
  setRole(username: string, role: Role): Promise<Outcome>;
  /** an admin's new password for someone else, who is asked to change it at the next sign-in */
  setPassword(username: string, password: string): Promise<Outcome>;
  setActive(username: string, active: boolean): Promise<Outcome>;
  /** lifts a sign-in lock after too many wrong passwords */
  unlock(username: string): Promise<Outcome>;
}

export const useStaff = create<StaffState>((set, get) => ({
  staff: idle,
  async reload() {
    await load((staff) => set({ staff }), get().staff, () => bridge().call('staff.list', {}));
  },
  async create(username, password, role) {
    const outcome = await attempt(() => bridge().call('staff.create', { username, password, role }));
    if (outcome.ok) await get().reload();
    return outcome;
  },
  async setRole(username, role) {
    const outcome = await attempt(() => bridge().call('staff.setRole', { username, role }));
    if (outcome.ok) await get().reload();
    return outcome;
  },
  async setPassword(username, password) {
    const outcome = await attempt(() => bridge().call('staff.setPassword', { username, password }));
    if (outcome.ok) await get().reload();
    return outcome;
  },
  async setActive(username, active) {
    const outcome = await attempt(() => bridge().call(active ? 'staff.enable' : 'staff.disable', { username }));
    if (outcome.ok) await get().reload();
    return outcome;
  },
  async unlock(username) {
    const outcome = await attempt(() => bridge().call('staff.unlock', { username }));
    if (outcome.ok) await get().reload();
    return outcome;
  },
}));

/**
 * An audit entry's detail as "name: value" lines, never raw JSON; `word` may say a value in people's
 * words (a job by its title, a time in the gym's zone). With `label` the names are in words too
 * (a parent's inner names as `label(name, parent)`), its inner values "name value · name value",
 * a change {from, to} "from → to" (a list's items one after another, none as '–'; a change of a
 * setting made of parts, as the booking rules and the notifier are, a line for each part that
 * changed, "part: from → to") and nothing inside as `word(name, '')`; without it, names are as
 * recorded, inner ones "name=value".
 */
export function detailLines(
  detail: unknown,
  word: (key: string, value: unknown) => string | undefined = () => undefined,
  label?: (key: string, parent?: string) => string,
): string[] {
  if (detail === null || detail === undefined) return [];
  if (typeof detail !== 'object') return [String(detail)];
  const text = (key: string, value: unknown): string => {
    if (label && Array.isArray(value)) return value.length === 0 ? '–' : value.map((v) => text(key, v)).join(', ');
    return word(key, value) ?? (typeof value === 'object' && value !== null ? '…' : String(value));
  };
  const isParts = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(detail as Record<string, unknown>)) {
    const name = label ? label(key) : key;
    // a value `word` says whole (a message recorded in both languages)
    const whole = label && value !== null && typeof value === 'object' && !Array.isArray(value) ? word(key, value) : undefined;
    if (whole !== undefined) lines.push(`${name}: ${whole}`);
    else if (value !== null && typeof value === 'object' && !(label && Array.isArray(value))) {
      const entries = Object.entries(value as Record<string, unknown>);
      const change = label && entries.length === 2 && 'from' in value && 'to' in value;
      const { from, to } = value as { from?: unknown; to?: unknown };
      if (change && (isParts(from) || isParts(to))) {
        // a line for each part that changed, in the order the new value has them
        const before = isParts(from) ? from : {};
        const after = isParts(to) ? to : {};
        const parts = [...new Set([...Object.keys(after), ...Object.keys(before)])];
        const changed = parts.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
        // saved as it was: what it is
        if (changed.length === 0) for (const k of parts) lines.push(`${label(k, key)}: ${text(k, after[k])}`);
        for (const k of changed) lines.push(`${label(k, key)}: ${text(k, before[k])} → ${text(k, after[k])}`);
        continue;
      }
      // no inner values (a run with every parameter left to its default): the word for an empty value
      const inner =
        label && entries.length === 0
          ? text(key, '')
          : change
            ? `${text(key, from)} → ${text(key, to)}`
            : entries.map(([k, v]) => (label ? `${label(k, key)} ${text(k, v)}` : `${k}=${text(k, v)}`)).join(label ? ' · ' : ', ');
      lines.push(`${name}: ${inner}`);
    } else lines.push(`${name}: ${text(key, value)}`);
  }
  return lines;
}
