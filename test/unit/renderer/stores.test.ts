// The stores' logic against a fake bridge: paging the 10,000-row list, the day-range filter, live
// progress from events, which actions a status allows, sign-in, bulk grant progress.
import { beforeEach, describe, expect, test } from 'vitest';
import { setBridge } from '../../../renderer/src/bridge/index.ts';
import { useBulkGrants } from '../../../renderer/src/stores/bulkGrants.ts';
import { actionsFor, groupSteps, listInput, PAGE_SIZE, rowAt, rowCount, rowTotals, useExecutions } from '../../../renderer/src/stores/executions.ts';
import { passProgress } from '../../../renderer/src/stores/members.ts';
import { atLeast, useSession } from '../../../renderer/src/stores/session.ts';
import { presetRange, seriesInput } from '../../../renderer/src/stores/statistics.ts';
import { detailLines } from '../../../renderer/src/stores/admin.ts';
import { fakeBridge, summary } from './fakeBridge.ts';

const TOTAL = 10_000;
const list = ({ page = 1, pageSize = 50 }: { page?: number; pageSize?: number }) => {
  const items = [];
  for (let i = (page - 1) * pageSize; i < Math.min(TOTAL, page * pageSize); i++) items.push(summary(TOTAL - i));
  return { total: TOTAL, page, pageSize, items };
};

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('executions store', () => {
  let bridge: ReturnType<typeof fakeBridge>;
  beforeEach(() => {
    bridge = fakeBridge({
      'executions.list': list,
      'executions.get': ({ id }) => ({ ...summary(id), steps: [], executionContext: {} }),
      'executions.restart': ({ id }) => summary(id + 100_000, { status: 'STARTING' }),
    });
    setBridge(bridge);
    useExecutions.setState({ pages: {}, filterProblem: null, total: 0, filter: { job: '', status: '', from: '', to: '' }, selectedId: null, live: {}, list: { state: 'idle' } });
  });

  test('fetches only the pages the visible rows need', async () => {
    await useExecutions.getState().reload();
    const s = useExecutions.getState();
    expect(rowCount(s)).toBe(TOTAL);
    expect(bridge.calls.filter((c) => c.operation === 'executions.list')).toHaveLength(1);
    expect(rowAt(s, 0)?.id).toBe(TOTAL);
    expect(rowAt(s, PAGE_SIZE)).toBeUndefined();

    s.ensureRows(9_990, 9_999);
    await settle();
    const pages = bridge.calls.filter((c) => c.operation === 'executions.list').map((c) => c.input.page);
    expect(pages).toEqual([1, 50]);
    expect(rowAt(useExecutions.getState(), 9_999)?.id).toBe(1);
  });

  test('a job that finishes while the list is being fetched is not left showing as running', async () => {
    // The first page is fetched when the job starts; it finishes before that answer lands.
    let status = 'STARTED';
    const answers: Array<() => void> = [];
    bridge = fakeBridge({
      // each answer tells the status as it is when the answer is sent
      'executions.list': () => new Promise((resolve) => answers.push(() => resolve({ total: 1, page: 1, pageSize: PAGE_SIZE, items: [summary(7, { status })] }))),
    });
    setBridge(bridge);
    const store = useExecutions.getState();
    store.onEvent({ type: 'job-started', executionId: 7, jobName: 'makeStatisticsJob' });
    status = 'COMPLETED';
    store.onEvent({ type: 'job-finished', executionId: 7, jobName: 'makeStatisticsJob', status: 'COMPLETED', exitMessage: '' });
    // The stale answer (built while it still ran) lands after the finish event...
    status = 'STARTED';
    answers.shift()!();
    await settle();
    // ...so the page is asked for again, and that answer is the truth.
    status = 'COMPLETED';
    expect(answers).toHaveLength(1);
    answers.shift()!();
    await settle();
    expect(rowAt(useExecutions.getState(), 0)).toMatchObject({ id: 7, status: 'COMPLETED' });
  });

  test('a filter starts the list again and passes job and status to the service', async () => {
    await useExecutions.getState().setFilter({ job: 'addPassesJob', status: 'FAILED' });
    expect(bridge.calls.at(-1)).toEqual({ operation: 'executions.list', input: { job: 'addPassesJob', status: 'FAILED', page: 1, pageSize: PAGE_SIZE } });
  });

  test('a day range goes to the service as gym-zone dates, the last day included', async () => {
    await useExecutions.getState().setFilter({ from: '2026-11-19', to: '2026-11-20' });
    expect(bridge.calls.at(-1)).toEqual({ operation: 'executions.list', input: { from: '2026-11-19', to: '2026-11-21', page: 1, pageSize: PAGE_SIZE } });
    expect(useExecutions.getState().filterProblem).toBeNull();
    // Across a month's end, and with one bound only.
    const base = { job: '', status: '' as const, from: '', to: '' };
    expect(listInput({ ...base, to: '2026-12-31' }, 3)).toEqual({ input: { to: '2027-01-01', page: 3, pageSize: PAGE_SIZE } });
    expect(listInput({ ...base, from: '2026-02-28' }, 1)).toEqual({ input: { from: '2026-02-28', page: 1, pageSize: PAGE_SIZE } });
    // One day: from that day up to the next.
    expect(listInput({ ...base, from: '2026-11-19', to: '2026-11-19' }, 1)).toEqual({ input: { from: '2026-11-19', to: '2026-11-20', page: 1, pageSize: PAGE_SIZE } });
  });

  test('a reversed or malformed day range is shown as a problem and never sent', async () => {
    const before = bridge.calls.length;
    await useExecutions.getState().setFilter({ from: '2026-11-20', to: '2026-11-19' });
    expect(useExecutions.getState().filterProblem).toBe('reversed');
    expect(rowCount(useExecutions.getState())).toBe(0);
    await useExecutions.getState().setFilter({ from: '2026-02-30', to: '' });
    expect(useExecutions.getState().filterProblem).toBe('badDate');
    expect(bridge.calls.length).toBe(before);
    // Fixing it fetches again.
    await useExecutions.getState().setFilter({ from: '2026-11-19' });
    expect(useExecutions.getState().filterProblem).toBeNull();
    expect(bridge.calls.at(-1)).toMatchObject({ operation: 'executions.list', input: { from: '2026-11-19' } });
  });

  test('a running row shows the live counts when the stream is ahead of the stored totals', () => {
    const step = (stepName: string, readCount: number, skipCount = 0) =>
      ({ stepName, status: 'STARTED', readCount, writeCount: readCount, filterCount: 0, skipCount, commitCount: 1, rollbackCount: 0, itemsPerSecond: 1, expectedItems: null, at: 0 }) as const;
    const stored = { read: 10, write: 10, skip: 0 };
    // a manager step with partitions reporting: counted through the partitions only
    const live = { usePassesStep: step('usePassesStep', 0), 'usePassesStep:partition0': step('usePassesStep:partition0', 40, 1), 'usePassesStep:partition1': step('usePassesStep:partition1', 30) };
    expect(rowTotals({ status: 'STARTED', totals: stored }, live)).toEqual({ read: 70, write: 70, skip: 1 });
    // behind the stored sums (an event missed): the stored sums stand
    expect(rowTotals({ status: 'STARTED', totals: { read: 100, write: 90, skip: 2 } }, live)).toEqual({ read: 100, write: 90, skip: 2 });
    // finished: the service's sums, whatever the stream said last
    expect(rowTotals({ status: 'COMPLETED', totals: stored }, live)).toEqual(stored);
    expect(rowTotals({ status: 'STARTED', totals: stored }, undefined)).toEqual(stored);
  });

  test('step progress events keep the live counts per execution and step', () => {
    useExecutions.getState().onEvent({
      type: 'step-progress', executionId: 7, jobName: 'addPassesJob', phase: 'chunk', stepName: 'addPassesStep', status: 'STARTED',
      readCount: 500, writeCount: 480, filterCount: 20, skipCount: 0, commitCount: 5, rollbackCount: 0, itemsPerSecond: 250, expectedItems: 2000,
    });
    const live = useExecutions.getState().live[7]!['addPassesStep']!;
    expect(live).toMatchObject({ readCount: 500, writeCount: 480, expectedItems: 2000, itemsPerSecond: 250 });
  });

  test('restart answers with the new execution', async () => {
    const outcome = await useExecutions.getState().act('restart', 12);
    expect(outcome).toMatchObject({ ok: true, execution: { id: 100_012 } });
    const refused = await useExecutions.getState().act('stop', 12);
    expect(refused).toEqual({ ok: false, error: { ko: '권한이 없습니다.', en: 'Not allowed.' } });
  });

  test('which actions a status allows', () => {
    expect(actionsFor('FAILED', true)).toEqual(['restart', 'abandon']);
    expect(actionsFor('FAILED', false)).toEqual(['abandon']);
    expect(actionsFor('STOPPED', true)).toEqual(['restart', 'abandon']);
    expect(actionsFor('STARTED', true)).toEqual(['stop']);
    expect(actionsFor('COMPLETED', true)).toEqual([]);
    expect(actionsFor('ABANDONED', true)).toEqual([]);
    // another application's execution: restarted there, marked failed here once it is known dead
    expect(actionsFor('STARTED', false, true)).toEqual(['stop', 'markFailed']);
    expect(actionsFor('STOPPING', false, true)).toEqual(['markFailed']);
    expect(actionsFor('FAILED', true, true)).toEqual(['abandon']);
    expect(actionsFor('STOPPING', true)).toEqual([]);
  });

  test('partitions are rows of their step', () => {
    const step = (stepName: string, readCount: number) => ({ stepName, readCount, writeCount: readCount, readSkipCount: 1, processSkipCount: 0, writeSkipCount: 0 }) as any;
    const steps = [step('addPassesStep', 30), step('addPassesStep:partition0', 10), step('addPassesStep:partition1', 20), step('notifyStep', 5)];
    const groups = groupSteps(steps);
    expect(groups.map((g) => [g.step.stepName, g.partitions.map((p) => p.stepName)])).toEqual([
      ['addPassesStep', ['addPassesStep:partition0', 'addPassesStep:partition1']],
      ['notifyStep', []],
    ]);
  });
});

describe('session store', () => {
  beforeEach(() => setBridge(fakeBridge({ 'session.me': () => ({ username: 'admin', role: 'ADMIN' }) })));

  test('signs in, and says why not in both languages', async () => {
    expect(await useSession.getState().login('nobody', 'x')).toBe(false);
    expect(useSession.getState().error).toEqual({ ko: '아이디 또는 비밀번호가 틀립니다.', en: 'Wrong username or password.' });
    expect(await useSession.getState().login('desk', 'x')).toBe(true);
    expect(useSession.getState().me).toEqual({ username: 'desk', role: 'FRONT_DESK', mustChangePassword: false });
    await useSession.getState().logout();
    expect(useSession.getState().status).toBe('signedOut');
  });

  test('roles nest', () => {
    expect(atLeast('ADMIN', 'MANAGER')).toBe(true);
    expect(atLeast('FRONT_DESK', 'MANAGER')).toBe(false);
    expect(atLeast(undefined, 'FRONT_DESK')).toBe(false);
  });
});

describe('bulk grants store', () => {
  test('grant now follows its execution through the event stream', async () => {
    const bridge = fakeBridge({
      'bulkGrants.grantNow': ({ bulkPassSeq }) => ({ bulkGrant: { bulkPassSeq }, execution: summary(42, { jobName: 'addPassesJob', status: 'STARTING' }) }),
      'bulkGrants.list': () => [],
    });
    setBridge(bridge);
    useBulkGrants.setState({ progress: {} });
    expect(await useBulkGrants.getState().grantNow(3)).toEqual({ ok: true });
    expect(useBulkGrants.getState().progress[3]).toMatchObject({ executionId: 42, finished: false });
    const event = { type: 'step-progress', executionId: 42, jobName: 'addPassesJob', phase: 'chunk', stepName: 'addPassesStep', status: 'STARTED', readCount: 900, writeCount: 900, filterCount: 0, skipCount: 0, commitCount: 9, rollbackCount: 0, itemsPerSecond: 3000, expectedItems: 1204 } as const;
    useBulkGrants.getState().onEvent(event);
    expect(useBulkGrants.getState().progress[3]).toMatchObject({ written: 900, expected: 1204 });
    useBulkGrants.getState().onEvent({ ...event, executionId: 41 }); // someone else's
    expect(useBulkGrants.getState().progress[3]!.written).toBe(900);
    useBulkGrants.getState().onEvent({ type: 'job-finished', executionId: 42, jobName: 'addPassesJob', status: 'COMPLETED', exitMessage: '' });
    expect(useBulkGrants.getState().progress[3]).toMatchObject({ finished: true, status: 'COMPLETED' });
  });
});

describe('statistics ranges', () => {
  test("last week is Monday to Sunday of the gym's previous week", () => {
    // Wednesday 2026-12-02 10:00 in Seoul
    const now = new Date('2026-12-02T01:00:00Z');
    expect(presetRange('lastWeek', 'Asia/Seoul', now)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(presetRange('thisWeek', 'Asia/Seoul', now)).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(presetRange('last30Days', 'Asia/Seoul', now)).toEqual({ from: '2026-11-03', to: '2026-12-02' });
    // 2026-11-29T16:00Z is already Monday the 30th in Seoul
    expect(presetRange('lastWeek', 'Asia/Seoul', new Date('2026-11-29T16:00:00Z'))).toEqual({ from: '2026-11-23', to: '2026-11-29' });
  });

  test('an inclusive range of days becomes the service’s [from, to)', () => {
    expect(seriesInput({ from: '2026-11-23', to: '2026-11-29' }, 'day')).toEqual({ from: '2026-11-23T00:00', to: '2026-11-30T00:00', unit: 'day' });
  });
});

describe('members and audit helpers', () => {
  test('a pass’s progress bar: by uses when counted, else by time', () => {
    expect(passProgress({ remainingCount: 3, startedAt: '2026-01-01T00:00:00Z', endedAt: null }, 10)).toBeCloseTo(0.7);
    const now = Date.parse('2026-01-16T00:00:00Z');
    expect(passProgress({ remainingCount: null, startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-31T00:00:00Z' }, null, now)).toBeCloseTo(0.5);
    expect(passProgress({ remainingCount: null, startedAt: '2026-01-01T00:00:00Z', endedAt: null }, null)).toBeNull();
  });

  test('audit details are lines, not JSON', () => {
    expect(detailLines({ job: 'makeStatisticsJob', params: { rerun: 1, reportDir: '/tmp' } })).toEqual(['job: makeStatisticsJob', 'params: rerun=1, reportDir=/tmp']);
    expect(detailLines(null)).toEqual([]);
  });
});
