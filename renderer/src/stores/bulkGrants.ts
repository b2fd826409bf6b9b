// 이용권 일괄 지급: the grants, the form for a new one, cancel, and "grant now" with the live
// progress of the addPassesJob execution it starts.
import { create } from 'zustand';
import type { BulkGrantView, BulkPassStatus, ExecutionEvent, GroupView, PackageView } from '../../../main/service/contract.ts';
import { BridgeError } from '../bridge/Bridge.ts';
import { bridge } from '../bridge/index.ts';
import { WORDS, type Words } from '../i18n/words.ts';
import { localDateTime } from '../lib/time24.ts';
import { idle, load, messageOf, type Load } from './errors.ts';

export interface GrantForm {
  packageSeq: string;
  userGroupId: string;
  count: string;
  startedAt: string;
  endedAt: string;
}

export interface GrantProgress {
  executionId: number;
  bulkPassSeq: number;
  written: number;
  expected: number | null;
  itemsPerSecond: number;
  finished: boolean;
  status: string;
}

type Outcome = { ok: true } | { ok: false; error: Words };

interface BulkGrantsState {
  grants: Load<BulkGrantView[]>;
  statusFilter: BulkPassStatus | '';
  packages: Load<PackageView[]>;
  groups: Load<GroupView[]>;
  form: GrantForm;
  progress: Record<number, GrantProgress>;
  loadAll(): Promise<void>;
  reload(): Promise<void>;
  setStatusFilter(status: BulkPassStatus | ''): Promise<void>;
  setForm(patch: Partial<GrantForm>): void;
  /** a refusal comes with the field at fault, if any (startedAt for a start before today or more than a year ahead) */
  create(): Promise<{ ok: true } | { ok: false; error: Words; field: string | null }>;
  cancel(bulkPassSeq: number): Promise<Outcome>;
  grantNow(bulkPassSeq: number): Promise<Outcome>;
  onEvent(event: ExecutionEvent): void;
}

export const EMPTY_FORM: GrantForm = { packageSeq: '', userGroupId: '', count: '', startedAt: '', endedAt: '' };

/**
 * The form as the input of bulkGrants.create, or the field to fix: `missing` when it is empty (or
 * the count is not a whole number from 1), `invalid` when a time typed in it is not a 24-hour time
 * (25:00, 6:30 PM). A time typed as 9:30 is sent as 09:30.
 */
export function grantInput(
  form: GrantForm,
): { input: { packageSeq: number; userGroupId: string; count?: number; startedAt: string; endedAt?: string } } | { missing: keyof GrantForm } | { invalid: 'startedAt' | 'endedAt' } {
  if (!form.packageSeq) return { missing: 'packageSeq' };
  if (!form.userGroupId) return { missing: 'userGroupId' };
  if (!form.startedAt.trim()) return { missing: 'startedAt' };
  const count = form.count.trim() ? Number(form.count) : undefined;
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) return { missing: 'count' };
  const startedAt = localDateTime(form.startedAt);
  if (startedAt === null) return { invalid: 'startedAt' };
  const endedAt = form.endedAt.trim() ? localDateTime(form.endedAt) : undefined;
  if (endedAt === null) return { invalid: 'endedAt' };
  return {
    input: {
      packageSeq: Number(form.packageSeq),
      userGroupId: form.userGroupId,
      startedAt,
      ...(count !== undefined ? { count } : {}),
      ...(endedAt !== undefined ? { endedAt } : {}),
    },
  };
}

// The event stream brings the counts; this catches the end even when the job finished before
// the stream saw it (a small group is granted in milliseconds).
async function watchUntilGranted(bulkPassSeq: number): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await new Promise((resolve) => setTimeout(resolve, i < 5 ? 400 : 1500));
    const state = useBulkGrants.getState();
    const progress = state.progress[bulkPassSeq];
    if (!progress) return;
    const grants = await bridge().call('bulkGrants.list', {}).catch(() => null);
    const grant = grants?.find((g) => g.bulkPassSeq === bulkPassSeq);
    if (grant && grant.status !== 'READY') {
      useBulkGrants.setState((s) => ({ progress: { ...s.progress, [bulkPassSeq]: { ...s.progress[bulkPassSeq]!, finished: true, written: Math.max(s.progress[bulkPassSeq]!.written, grant.passesCreated) } } }));
      await useBulkGrants.getState().reload();
      return;
    }
    if (progress.finished) return;
  }
}

export const useBulkGrants = create<BulkGrantsState>((set, get) => ({
  grants: idle,
  statusFilter: '',
  packages: idle,
  groups: idle,
  form: EMPTY_FORM,
  progress: {},
  async loadAll() {
    await Promise.all([
      get().reload(),
      load((packages) => set({ packages }), get().packages, () => bridge().call('packages.list', {})),
      load((groups) => set({ groups }), get().groups, () => bridge().call('groups.list', {})),
    ]);
  },
  async reload() {
    const status = get().statusFilter;
    await load((grants) => set({ grants }), get().grants, () => bridge().call('bulkGrants.list', status ? { status } : {}));
  },
  async setStatusFilter(statusFilter) {
    set({ statusFilter });
    await get().reload();
  },
  setForm(patch) {
    set((s) => ({ form: { ...s.form, ...patch } }));
  },
  async create() {
    const built = grantInput(get().form);
    if ('missing' in built) return { ok: false, error: { ko: '필수 항목을 채우세요.', en: 'Fill in the required fields.' }, field: null };
    if ('invalid' in built) return { ok: false, error: WORDS.dateTime24Problem, field: built.invalid };
    try {
      await bridge().call('bulkGrants.create', built.input);
      set({ form: EMPTY_FORM });
      await get().reload();
      return { ok: true };
    } catch (error) {
      return { ok: false, error: messageOf(error), field: error instanceof BridgeError ? (error.field ?? null) : null };
    }
  },
  async cancel(bulkPassSeq) {
    try {
      await bridge().call('bulkGrants.cancel', { bulkPassSeq });
      await get().reload();
      return { ok: true };
    } catch (error) {
      return { ok: false, error: messageOf(error) };
    }
  },
  async grantNow(bulkPassSeq) {
    try {
      const { execution } = await bridge().call('bulkGrants.grantNow', { bulkPassSeq });
      const done = execution.status === 'COMPLETED' || execution.status === 'FAILED';
      set((s) => ({
        progress: {
          ...s.progress,
          [bulkPassSeq]: s.progress[bulkPassSeq]?.executionId === execution.id
            ? s.progress[bulkPassSeq]!
            : { executionId: execution.id, bulkPassSeq, written: 0, expected: null, itemsPerSecond: 0, finished: done, status: execution.status },
        },
      }));
      if (done) await get().reload();
      else void watchUntilGranted(bulkPassSeq);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: messageOf(error) };
    }
  },
  onEvent(event) {
    const entry = Object.values(get().progress).find((p) => p.executionId === event.executionId);
    if (!entry) return;
    if (event.type === 'step-progress') {
      set((s) => ({
        progress: {
          ...s.progress,
          [entry.bulkPassSeq]: { ...entry, written: event.writeCount, expected: event.expectedItems ?? entry.expected, itemsPerSecond: event.itemsPerSecond, status: event.status },
        },
      }));
    } else if (event.type === 'job-finished') {
      set((s) => ({ progress: { ...s.progress, [entry.bulkPassSeq]: { ...entry, finished: true, status: event.status } } }));
      void get().reload();
    }
  },
}));
