// A launch refused because the same job with the same parameters is running says so in plain
// words, in Korean and English: which execution, since when in the gym's time, and who started
// it (a staff member, the schedule, the command line). Which process runs it (pid and host) is
// left to the log and to the command line, which prints the engine's own message as before.
import { hostname } from 'node:os';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BatchError } from '../../main/batch/index.ts';
import { describeEachBackend } from '../support/databases.ts';
import { refused, serviceHarness, slowTestJob, USERNAMES, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';
import { waitUntil } from '../support/waitUntil.ts';

describeEachBackend('a launch refused as already running', (backend) => {
  let h: ServiceHarness;
  const logged: string[] = [];
  beforeAll(async () => {
    h = await serviceHarness(backend, { extraJobs: [slowTestJob], service: { logRefusal: (line) => logged.push(line) } });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  /** Starts slowTestJob as `launchedBy`, waits until it has started, and answers its id and start in the gym's words. */
  async function running(ticks: number, launchedBy: string): Promise<{ id: number; ko: string; en: string }> {
    const { execution } = await h.operator.start('slowTestJob', { ticks }, { launchedBy });
    await waitUntil(async () => (await h.operator.execution(execution.id)).startTime !== null, `execution ${execution.id} to start`);
    const started = DateTime.fromJSDate((await h.operator.execution(execution.id)).startTime!).setZone('Asia/Seoul');
    return { id: execution.id, ko: started.toFormat('yyyy. M. d. HH:mm'), en: started.setLocale('en-US').toFormat('MMM d, yyyy, HH:mm') };
  }

  async function end(id: number): Promise<void> {
    await h.operator.stop(id);
    await waitForEnd(h, id);
  }

  it('names the execution, when it started and the staff member who started it, and no process; the log keeps the process', async () => {
    const first = await running(100_000, USERNAMES.MANAGER);
    try {
      const error = await refused(h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'slowTestJob', params: { ticks: 100_000 } }));
      expect(error.code).toBe('ALREADY_RUNNING');
      expect(error.text).toEqual({
        ko: `시험용 느린 작업이 같은 실행 조건으로 이미 실행 중입니다(작업 실행 #${first.id}, ${first.ko}에 ${USERNAMES.MANAGER} 님이 시작). 끝난 뒤 다시 하세요.`,
        en: `The job “Slow test job” is already running with the same parameters (execution #${first.id}, started ${first.en} by ${USERNAMES.MANAGER}). Try again once it has finished.`,
      });
      expect(JSON.stringify(error.toJSON())).not.toMatch(/pid|\bvm\b/);
      expect(JSON.stringify(error.toJSON())).not.toContain(hostname());
      // the log, for whoever looks into it, names the process
      expect(logged.at(-1)).toBe(`[executions.launch] refused by admin: slowTestJob is already running with these parameters (execution ${first.id}, pid ${process.pid} on ${hostname()})`);
      // what the command line prints (the engine's message) is unchanged
      const engine = await h.operator.start('slowTestJob', { ticks: 100_000 }, { launchedBy: 'cli' }).catch((e: unknown) => e);
      expect(engine).toBeInstanceOf(BatchError);
      expect((engine as BatchError).message).toBe(`slowTestJob is already running with these parameters (execution ${first.id}, pid ${process.pid} on ${hostname()})`);
    } finally {
      await end(first.id);
    }
  });

  it('says when the schedule or the command line started it', async () => {
    const scheduled = await running(100_001, 'scheduler@front-desk-pc');
    try {
      const error = await refused(h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'slowTestJob', params: { ticks: 100_001 } }));
      expect(error.text.ko).toBe(`시험용 느린 작업이 같은 실행 조건으로 이미 실행 중입니다(작업 실행 #${scheduled.id}, ${scheduled.ko}에 예약 실행으로 시작). 끝난 뒤 다시 하세요.`);
      expect(error.text.en).toBe(`The job “Slow test job” is already running with the same parameters (execution #${scheduled.id}, started ${scheduled.en} by its schedule). Try again once it has finished.`);
      expect(error.text.en).not.toContain('front-desk-pc');
    } finally {
      await end(scheduled.id);
    }
    const fromCli = await running(100_002, 'cli');
    try {
      const error = await refused(h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'slowTestJob', params: { ticks: 100_002 } }));
      expect(error.text.ko).toContain(`${fromCli.ko}에 명령줄에서 시작`);
      expect(error.text.en).toContain(`started ${fromCli.en} from the command line)`);
    } finally {
      await end(fromCli.id);
    }
  });
});
