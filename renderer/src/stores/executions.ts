// 작업 실행: the list (pages fetched as the virtual list scrolls to them, so 10,000 rows cost
// only what is on screen; each row carries its read/write/skip totals), the filters by job,
// status and days, the open execution with its steps, the live progress the event stream
// brings, and the four actions.
import { DateTime } from 'luxon';
import { create } from 'zustand';
import type { BatchStatus, ExecutionDetail, ExecutionEvent, ExecutionSummary, ExecutionTotals, InputOf, JobView } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import { isRunning } from '../lib/status.ts';
import { dayRangeProblem } from '../lib/time24.ts';
import type { Words } from '../i18n/words.ts';
import { idle, load, messageOf, type Load } from './errors.ts';

export const PAGE_SIZE = 200;

export interface Filter {
  job: string;
  status: BatchStatus | '';
  /** the first day, 'yyyy-MM-dd' in the gym's time zone; '' for no lower bound */
  from: string;
  /** the last day (inclusive), 'yyyy-MM-dd' in the gym's time zone; '' for no upper bound */
  to: string;
  /**
   * false: completed runs that read and wrote nothing (a scheduled run with nothing to do) are
   * left out, the list's default; true: every run. Left unset, the service's default (every run).
   */
  showEmpty?: boolean;
}

export type FilterProblem = 'reversed' | 'badDate';

/**
 * The executions.list input a filter asks for. Days cross as dates without an offset, which the
 * service reads in the gym's time zone; the last day is included, so `to` is the day after it.
 */
export function listInput(filter: Filter, page: number): { input: InputOf<'executions.list'> } | { problem: FilterProblem } {
  const input: InputOf<'executions.list'> = { page, pageSize: PAGE_SIZE };
  if (filter.job) input.job = filter.job;
  if (filter.status) input.status = filter.status;
  if (filter.showEmpty === false) input.hideEmpty = true;
  const problem = dayRangeProblem(filter.from, filter.to);
  if (problem) return { problem };
  const from = filter.from ? DateTime.fromISO(filter.from, { zone: 'UTC' }) : null;
  const to = filter.to ? DateTime.fromISO(filter.to, { zone: 'UTC' }) : null;
  if (from) input.from = from.toISODate()!;
  if (to) input.to = to.plus({ days: 1 }).toISODate()!;
  return { input };
}

/** A step's latest progress event, without what names its execution, and when it arrived. */
export type LiveStep = Omit<Extract<ExecutionEvent, { type: 'step-progress' }>, 'type' | 'executionId' | 'jobName' | 'phase'> & { at: number };

export type Action = 'restart' | 'stop' | 'abandon' | 'markFailed';

export type Totals = ExecutionTotals;

/**
 * A row's read/write/skip: the service's sums, or while it runs the live counts when the event
 * stream is ahead of them. As the service counts them, a manager step whose partitions report
 * is left out (its partitions carry the counts).
 */
export function rowTotals(row: Pick<ExecutionSummary, 'status' | 'totals'>, live: Record<string, LiveStep> | undefined): Totals {
  const stored = row.totals ?? { read: 0, write: 0, skip: 0 };
  if (!live || !isRunning(row.status)) return stored;
  const names = Object.keys(live);
  const sum = { read: 0, write: 0, skip: 0 };
  for (const [name, step] of Object.entries(live)) {
    if (names.some((other) => other.startsWith(`${name}:partition`))) continue;
    sum.read += step.readCount;
    sum.write += step.writeCount;
    sum.skip += step.skipCount;
  }
  return { read: Math.max(stored.read, sum.read), write: Math.max(stored.write, sum.write), skip: Math.max(stored.skip, sum.skip) };
}

interface ExecutionsState {
  jobs: Load<JobView[]>;
  /** job names the history holds that are not among `jobs` (another application's, on an adopted Spring Batch schema) */
  otherJobNames: string[];
  filter: Filter;
  total: number;
  /** page number → rows of that page */
  pages: Record<number, ExecutionSummary[]>;
  /** a filter the service would refuse (the last day before the first): nothing is fetched */
  filterProblem: FilterProblem | null;
  list: Load<true>;
  generation: number;
  selectedId: number | null;
  detail: Load<ExecutionDetail>;
  /** executionId → stepName → the latest progress event */
  live: Record<number, Record<string, LiveStep>>;
  busy: boolean;
  loadJobs(): Promise<void>;
  setFilter(patch: Partial<Filter>): Promise<void>;
  reload(): Promise<void>;
  ensureRows(start: number, end: number): void;
  select(id: number | null): Promise<void>;
  refreshDetail(): Promise<void>;
  onEvent(event: ExecutionEvent): void;
  act(action: Action, id: number): Promise<{ ok: true; execution: ExecutionSummary } | { ok: false; error: Words }>;
  launch(job: string, params: Record<string, string | number | boolean>): Promise<{ ok: true; execution: ExecutionSummary } | { ok: false; error: Words; field?: string }>;
}

/** Row `index` of the list as it stands (undefined while its page is on its way). */
export function rowAt(state: Pick<ExecutionsState, 'pages'>, index: number): ExecutionSummary | undefined {
  return state.pages[Math.floor(index / PAGE_SIZE) + 1]?.[index % PAGE_SIZE];
}

export function rowCount(state: Pick<ExecutionsState, 'total'>): number {
  return state.total;
}

function liveStepOf({ type: _t, executionId: _e, jobName: _j, phase: _p, ...step }: Extract<ExecutionEvent, { type: 'step-progress' }>): LiveStep {
  return { ...step, at: Date.now() };
}

const inFlight = new Set<string>();
/** pages asked for again while a fetch of them was in flight: its answer may already be stale */
const again = new Set<string>();

export const useExecutions = create<ExecutionsState>((set, get) => {
  const fetchPage = async (page: number, generation: number) => {
    const key = `${generation}:${page}`;
    if (inFlight.has(key)) {
      // Fetch once more when this one lands: a job that finished meanwhile must not be shown running.
      again.add(key);
      return;
    }
    const asked = listInput(get().filter, page);
    if ('problem' in asked) return;
    inFlight.add(key);
    try {
      const result = await bridge().call('executions.list', asked.input);
      if (get().generation !== generation) return;
      set((s) => ({ total: result.total, pages: { ...s.pages, [page]: result.items } }));
      return result;
    } finally {
      inFlight.delete(key);
      if (again.delete(key)) void fetchPage(page, generation).catch(() => undefined);
    }
  };

  return {
    jobs: idle,
    otherJobNames: [],
    filter: { job: '', status: '', from: '', to: '', showEmpty: false },
    total: 0,
    pages: {},
    filterProblem: null,
    list: idle,
    generation: 0,
    selectedId: null,
    detail: idle,
    live: {},
    busy: false,
    totals: {},

    async loadJobs() {
      await load((jobs) => set({ jobs }), get().jobs, () => bridge().call('jobs.list', {}));
      const jobs = get().jobs;
      if (jobs.state !== 'ready') return;
      // Only for the filter: without it the list still shows every execution.
      const names = await bridge().call('jobs.namesInHistory', {}).catch(() => [] as string[]);
      set({ otherJobNames: names.filter((name) => !jobs.data.some((j) => j.name === name)) });
    },

    async setFilter(patch) {
      set((s) => ({ filter: { ...s.filter, ...patch } }));
      await get().reload();
    },

    async reload() {
      const generation = get().generation + 1;
      const asked = listInput(get().filter, 1);
      const filterProblem = 'problem' in asked ? asked.problem : null;
      set({ generation, pages: {}, filterProblem, ...(filterProblem ? { total: 0 } : {}) });
      if (filterProblem) return;
      await load((list) => set({ list }), get().list, async () => {
        await fetchPage(1, generation);
        return true as const;
      });
    },

    ensureRows(start, end) {
      const s = get();
      if (s.list.state !== 'ready') return;
      const first = Math.floor(start / PAGE_SIZE) + 1;
      const last = Math.floor(Math.max(start, end) / PAGE_SIZE) + 1;
      for (let page = first; page <= last; page++) {
        if (!s.pages[page] && (page - 1) * PAGE_SIZE < s.total) void fetchPage(page, s.generation).catch(() => undefined);
      }
    },

    async select(id) {
      set({ selectedId: id, detail: idle });
      if (id !== null) await get().refreshDetail();
    },

    async refreshDetail() {
      const id = get().selectedId;
      if (id === null) return;
      await load(
        (detail) => {
          if (get().selectedId === id) set({ detail });
        },
        get().detail,
        () => bridge().call('executions.get', { id }),
      );
    },

    onEvent(event) {
      if (event.type === 'step-progress') {
        set((s) => ({
          live: {
            ...s.live,
            [event.executionId]: {
              ...s.live[event.executionId],
              [event.stepName]: liveStepOf(event),
            },
          },
        }));
        // A step starting or finishing changes the rows of the detail: fetch them again.
        if (event.phase !== 'chunk' && get().selectedId === event.executionId) void get().refreshDetail();
        return;
      }
      const { selectedId } = get();
      if (event.executionId === selectedId) void get().refreshDetail();
      if (event.type === 'job-finished') {
        set((s) => {
          const pages = { ...s.pages };
          for (const [page, rows] of Object.entries(pages)) {
            const i = rows.findIndex((r) => r.id === event.executionId);
            if (i >= 0) {
              const copy = rows.slice();
              copy[i] = { ...copy[i]!, status: event.status, exitMessage: event.exitMessage, endTime: new Date().toISOString() };
              pages[Number(page)] = copy;
            }
          }
          return { pages };
        });
      }
      // New or finished executions: the first page (newest) is fetched again, with its totals.
      void fetchPage(1, get().generation).catch(() => undefined);
    },

    async act(action, id) {
      set({ busy: true });
      try {
        const op = OPERATION[action];
        const execution = await bridge().call(op, { id });
        set({ busy: false });
        return { ok: true, execution };
      } catch (error) {
        set({ busy: false });
        return { ok: false, error: messageOf(error) };
      }
    },

    async launch(job, params) {
      set({ busy: true });
      try {
        const execution = await bridge().call('executions.launch', { job, params });
        set({ busy: false });
        return { ok: true, execution };
      } catch (error) {
        set({ busy: false });
        const field = (error as { field?: string }).field;
        return field ? { ok: false, error: messageOf(error), field } : { ok: false, error: messageOf(error) };
      }
    },
  };
});

const OPERATION = {
  restart: 'executions.restart',
  stop: 'executions.stop',
  abandon: 'executions.abandon',
  markFailed: 'executions.markFailed',
} as const satisfies Record<Action, string>;

/**
 * Which of the actions a status allows (the role is checked by the screen). Another
 * application's execution (`external`) is restarted there, not here; one it left running can
 * be marked failed once that application is known to have stopped. An execution a later one of
 * its instance took over from (`latest` false: it was restarted) is history: the engine refuses
 * to restart it, so neither restart nor abandon is offered.
 */
export function actionsFor(status: BatchStatus, restartable: boolean, external = false, latest = true): Action[] {
  const actions: Action[] = [];
  if ((status === 'FAILED' || status === 'STOPPED') && restartable && !external && latest) actions.push('restart');
  if (status === 'STARTING' || status === 'STARTED') actions.push('stop');
  if (external && isRunning(status)) actions.push('markFailed');
  if ((status === 'FAILED' || status === 'STOPPED') && latest) actions.push('abandon');
  return actions;
}

/** Partition step executions ("step:partition3") grouped under their step. */
export function groupSteps<T extends { stepName: string }>(steps: T[]): { step: T; partitions: T[] }[] {
  const groups: { step: T; partitions: T[] }[] = [];
  const byName = new Map<string, { step: T; partitions: T[] }>();
  for (const s of steps) {
    const m = /^(.*):partition\d+$/.exec(s.stepName);
    if (m) {
      const parent = byName.get(m[1]!);
      if (parent) {
        parent.partitions.push(s);
        continue;
      }
    }
    const group = { step: s, partitions: [] as T[] };
    byName.set(s.stepName, group);
    groups.push(group);
  }
  return groups;
}
