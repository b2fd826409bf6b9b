// 작업 실행: the list (pages fetched as the virtual list scrolls to them, so 10,000 rows cost
// only what is on screen), the filters, the open execution with its steps, the live progress the
// event stream brings, and the four actions.
import { DateTime } from 'luxon';
import { create } from 'zustand';
import type { BatchStatus, ExecutionDetail, ExecutionEvent, ExecutionSummary, JobView } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import type { Words } from '../i18n/words.ts';
import { idle, load, messageOf, type Load } from './errors.ts';

export const PAGE_SIZE = 200;
/** the most pages a date filter walks back through */
const MAX_DATE_PAGES = 100;

export interface Filter {
  job: string;
  status: BatchStatus | '';
  /** 'yyyy-MM-dd' in the gym's time zone, '' for any day */
  date: string;
}

/** A step's latest progress event, without what names its execution, and when it arrived. */
export type LiveStep = Omit<Extract<ExecutionEvent, { type: 'step-progress' }>, 'type' | 'executionId' | 'jobName' | 'phase'> & { at: number };

export type Action = 'restart' | 'stop' | 'abandon';

export interface Totals {
  read: number;
  write: number;
  skip: number;
}

/** Totals over the top-level steps (partitions are counted in their manager step). */
export function totalsOf(steps: ExecutionDetail['steps']): Totals {
  const top = steps.filter((s) => !/:partition\d+$/.test(s.stepName));
  const rows = top.length ? top : steps;
  return rows.reduce(
    (t, s) => ({ read: t.read + s.readCount, write: t.write + s.writeCount, skip: t.skip + s.readSkipCount + s.processSkipCount + s.writeSkipCount }),
    { read: 0, write: 0, skip: 0 },
  );
}

const RUNNING = new Set<BatchStatus>(['STARTING', 'STARTED', 'STOPPING']);
const totalsWanted = new Set<number>();
let totalsActive = 0;

interface ExecutionsState {
  jobs: Load<JobView[]>;
  filter: Filter;
  total: number;
  /** page number → rows of that page */
  pages: Record<number, ExecutionSummary[]>;
  /** with a date filter: the matching rows, all loaded */
  dated: ExecutionSummary[] | null;
  list: Load<true>;
  generation: number;
  selectedId: number | null;
  detail: Load<ExecutionDetail>;
  /** executionId → stepName → the latest progress event */
  live: Record<number, Record<string, LiveStep>>;
  busy: boolean;
  /** executionId → read / write / skip summed over its steps (fetched for the rows on screen) */
  totals: Record<number, Totals>;
  wantTotals(ids: number[]): void;
  loadJobs(): Promise<void>;
  setFilter(patch: Partial<Filter>, timeZone: string): Promise<void>;
  reload(timeZone: string): Promise<void>;
  ensureRows(start: number, end: number): void;
  select(id: number | null): Promise<void>;
  refreshDetail(): Promise<void>;
  onEvent(event: ExecutionEvent): void;
  act(action: Action, id: number): Promise<{ ok: true; execution: ExecutionSummary } | { ok: false; error: Words }>;
  launch(job: string, params: Record<string, string | number | boolean>): Promise<{ ok: true; execution: ExecutionSummary } | { ok: false; error: Words; field?: string }>;
}

/** Row `index` of the list as it stands (undefined while its page is on its way). */
export function rowAt(state: Pick<ExecutionsState, 'pages' | 'dated'>, index: number): ExecutionSummary | undefined {
  if (state.dated) return state.dated[index];
  return state.pages[Math.floor(index / PAGE_SIZE) + 1]?.[index % PAGE_SIZE];
}

export function rowCount(state: Pick<ExecutionsState, 'total' | 'dated'>): number {
  return state.dated ? state.dated.length : state.total;
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
    inFlight.add(key);
    try {
      const { job, status } = get().filter;
      const result = await bridge().call('executions.list', { job: job || undefined, status: status || undefined, page, pageSize: PAGE_SIZE });
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
    filter: { job: '', status: '', date: '' },
    total: 0,
    pages: {},
    dated: null,
    list: idle,
    generation: 0,
    selectedId: null,
    detail: idle,
    live: {},
    busy: false,
    totals: {},

    wantTotals(ids) {
      const { totals } = get();
      for (const id of ids) if (!totals[id]) totalsWanted.add(id);
      const pump = () => {
        while (totalsActive < 4 && totalsWanted.size) {
          const id = [...totalsWanted].pop()!;
          totalsWanted.delete(id);
          totalsActive++;
          void bridge()
            .call('executions.get', { id })
            .then((detail) => {
              // A running execution's totals are fetched again when it finishes.
              if (!RUNNING.has(detail.status)) set((s) => ({ totals: { ...s.totals, [id]: totalsOf(detail.steps) } }));
            })
            .catch(() => undefined)
            .finally(() => {
              totalsActive--;
              pump();
            });
        }
      };
      pump();
    },

    async loadJobs() {
      await load((jobs) => set({ jobs }), get().jobs, () => bridge().call('jobs.list', {}));
    },

    async setFilter(patch, timeZone) {
      set((s) => ({ filter: { ...s.filter, ...patch } }));
      await get().reload(timeZone);
    },

    async reload(timeZone) {
      const generation = get().generation + 1;
      set({ generation, pages: {}, dated: null });
      const { date } = get().filter;
      await load((list) => set({ list }), get().list, async () => {
        const first = await fetchPage(1, generation);
        if (!first) return true as const;
        if (date) {
          const dayStart = DateTime.fromISO(date, { zone: timeZone }).startOf('day');
          const from = dayStart.toMillis();
          const to = dayStart.plus({ days: 1 }).toMillis();
          const matches: ExecutionSummary[] = [];
          let items = first.items;
          for (let page = 1; page <= MAX_DATE_PAGES; page++) {
            if (page > 1) items = (await fetchPage(page, generation))?.items ?? [];
            for (const e of items) {
              const t = Date.parse(e.createTime);
              if (t >= from && t < to) matches.push(e);
            }
            const last = items[items.length - 1];
            // Newest first: once a page ends before the day, no later page holds it.
            if (!last || Date.parse(last.createTime) < from || items.length < PAGE_SIZE) break;
          }
          if (get().generation === generation) set({ dated: matches });
        }
        return true as const;
      });
    },

    ensureRows(start, end) {
      const s = get();
      if (s.dated || s.list.state !== 'ready') return;
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
        get().wantTotals([event.executionId]);
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
      // New or finished executions: the first page (newest) is fetched again.
      const generation = get().generation;
      if (!get().filter.date) void fetchPage(1, generation).catch(() => undefined);
    },

    async act(action, id) {
      set({ busy: true });
      try {
        const op = action === 'restart' ? 'executions.restart' : action === 'stop' ? 'executions.stop' : 'executions.abandon';
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

/** Which of the actions a status allows (the role is checked by the screen). */
export function actionsFor(status: BatchStatus, restartable: boolean): Action[] {
  const actions: Action[] = [];
  if ((status === 'FAILED' || status === 'STOPPED') && restartable) actions.push('restart');
  if (status === 'STARTING' || status === 'STARTED') actions.push('stop');
  if (status === 'FAILED' || status === 'STOPPED') actions.push('abandon');
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
