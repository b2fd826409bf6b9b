// 이용권 일괄 지급: the grants, the form for a new one, cancel, and "grant now" with the live
// progress of the addPassesJob execution it starts.
import { create } from 'zustand';
import type { BulkGrantView, BulkPassStatus, ExecutionEvent, GroupView, PackageView } from '../../../main/service/contract.ts';
import { BridgeError } from '../bridge/Bridge.ts';
import { bridge } from '../bridge/index.ts';
import { both, translate } from '../i18n/i18n.ts';
import { WORDS, type Words } from '../i18n/words.ts';
import { formatNumber } from '../lib/format.ts';
import { localDateTime } from '../lib/time24.ts';
import { idle, load, messageOf, type Load } from './errors.ts';
import { useUi } from './ui.ts';

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
  create(): Promise<{ ok: true; bulkPassSeq: number } | { ok: false; error: Words; field: string | null }>;
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

const GRANT_JOB = 'addPassesJob';

// The event stream brings the counts; this catches the end even when the job finished before
// the stream saw it (a small group is granted in milliseconds).
async function watchUntilGranted(bulkPassSeq: number): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await new Promise((resolve) => setTimeout(resolve, i < 5 ? 400 : 1500));
    const progress = useBulkGrants.getState().progress[bulkPassSeq];
    if (!progress || progress.finished) return;
    const grants = await bridge().call('bulkGrants.list', {}).catch(() => null);
    const grant = grants?.find((g) => g.bulkPassSeq === bulkPassSeq);
    if (grant && grant.status !== 'READY') {
      await settle([bulkPassSeq], 'COMPLETED');
      return;
    }
  }
}

/**
 * The grants whose run has ended (grant now's, or the scheduler's at their set time): marked
 * finished, the list read again, and the outcome said, once, whichever screen is open: the passes
 * a grant made, or that it was not granted and where to look.
 */
async function settle(seqs: number[], status: string): Promise<void> {
  const open = seqs.filter((seq) => useBulkGrants.getState().progress[seq]?.finished === false);
  if (open.length === 0) return;
  useBulkGrants.setState((s) => ({ progress: { ...s.progress, ...Object.fromEntries(open.map((seq) => [seq, { ...s.progress[seq]!, finished: true, status }])) } }));
  const [grants] = await Promise.all([bridge().call('bulkGrants.list', {}).catch(() => null), useBulkGrants.getState().reload()]);
  for (const seq of open) {
    const grant = grants?.find((g) => g.bulkPassSeq === seq);
    if (grant?.status === 'COMPLETED') {
      useBulkGrants.setState((s) => ({ progress: { ...s.progress, [seq]: { ...s.progress[seq]!, written: Math.max(s.progress[seq]!.written, grant.passesCreated) } } }));
      useUi.getState().toast('success', { ko: translate('ko', 'grantDone', { id: seq, n: formatNumber(grant.passesCreated, 'ko') }), en: translate('en', 'grantDone', { id: seq, n: formatNumber(grant.passesCreated, 'en') }) });
    } else if (grant?.status === 'READY' && status !== 'COMPLETED') {
      useUi.getState().toast('error', both('grantNotDone', { id: seq }));
    }
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
      const grant = await bridge().call('bulkGrants.create', built.input);
      set({ form: EMPTY_FORM });
      await get().reload();
      return { ok: true, bulkPassSeq: grant.bulkPassSeq };
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
            : { executionId: execution.id, bulkPassSeq, written: 0, expected: null, itemsPerSecond: 0, finished: false, status: execution.status },
        },
      }));
      if (done) await settle([bulkPassSeq], execution.status);
      else void watchUntilGranted(bulkPassSeq);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: messageOf(error) };
    }
  },
  onEvent(event) {
    if (event.jobName !== GRANT_JOB) return;
    let entries = Object.values(get().progress).filter((p) => p.executionId === event.executionId);
    if (entries.length === 0 && event.type !== 'job-finished') {
      // A run nobody here asked for (the scheduler's, at a grant's set time): the grants listed as
      // scheduled whose time has come are the ones it grants, shown granting until it ends.
      const list = get().grants;
      const due = 'data' in list && list.data ? list.data.filter((g) => g.status === 'READY' && Date.parse(g.startedAt) <= Date.now() + DUE_SLACK_MS) : [];
      if (due.length === 0) return;
      entries = due.map((g) => ({ executionId: event.executionId, bulkPassSeq: g.bulkPassSeq, written: 0, expected: null, itemsPerSecond: 0, finished: false, status: 'STARTED' }));
      set((s) => ({ progress: { ...s.progress, ...Object.fromEntries(entries.map((p) => [p.bulkPassSeq, p])) } }));
    }
    if (entries.length === 0) return;
    if (event.type === 'step-progress') {
      // one run granting several grants counts them together: each then shows it is granting, without a count
      const one = entries.length === 1;
      set((s) => ({
        progress: {
          ...s.progress,
          ...Object.fromEntries(
            entries.map((p) => [
              p.bulkPassSeq,
              { ...p, written: one ? event.writeCount : p.written, expected: one ? (event.expectedItems ?? p.expected) : null, itemsPerSecond: event.itemsPerSecond, status: event.status },
            ]),
          ),
        },
      }));
    } else if (event.type === 'job-finished') {
      void settle(
        entries.map((p) => p.bulkPassSeq),
        event.status,
      );
    }
  },
}));

/** A scheduled grant counts as due this long before its time by this browser's clock (the server's may be ahead). */
const DUE_SLACK_MS = 5_000;
