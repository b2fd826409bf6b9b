// A failed execution's sentence ("What happened") in the words of the screens, on both databases:
// the step where it failed by its title in the screen's language ('일간 보고서 작성' / “Write the
// daily report”) as the step table names it, not the engine's code name (writeDailyReportStep), a
// partition's step as its step's; and a server path as the technical details show it to the same
// people: a manager reads only its file name ('reports'), an admin the whole path; and what to do
// next as its reader can do it: an admin restarts, a manager (who may not restart or abandon) fixes
// the cause and asks an admin to.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeFailure } from '../../main/service/failures.ts';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('a failed execution’s sentence', (backend) => {
  let h: ServiceHarness;
  let dir: string;
  /** a statistics run that failed writing its daily report: a file where its folder should be */
  let failedId: number;
  const reportDirBefore = process.env.PASS_REPORT_DIR;
  beforeAll(async () => {
    h = await serviceHarness(backend);
    dir = mkdtempSync(join(tmpdir(), 'pass-failure-sentence-'));
    process.env.PASS_REPORT_DIR = dir;
    const blocker = join(dir, 'blocked');
    writeFileSync(blocker, 'not a folder');
    const failed = await h.service.call(h.sessions.ADMIN, 'executions.launch', {
      job: 'makeStatisticsJob',
      params: { from: '2026-11-02T00:00', to: '2026-11-03T00:00', reportDir: join(blocker, 'reports') },
    });
    failedId = failed.id;
    expect(await waitForEnd(h, failedId)).toBe('FAILED');
  });
  afterAll(async () => {
    if (reportDirBefore === undefined) delete process.env.PASS_REPORT_DIR;
    else process.env.PASS_REPORT_DIR = reportDirBefore;
    await h?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names the step a statistics run failed in by its title in Korean and English, not by its code name', async () => {
    for (const session of [h.sessions.ADMIN, h.sessions.MANAGER]) {
      const { failure } = await h.service.call(session, 'executions.get', { id: failedId });
      expect(failure!.message.ko).toMatch(/^'일간 보고서 작성' 단계에서 폴더 /);
      expect(failure!.message.en).toMatch(/^In the step “Write the daily reports”: the folder /);
      expect(`${failure!.message.ko} ${failure!.message.en}`).not.toContain('writeDailyReportStep');
    }
  });

  it('shows a manager only the file name in the sentence, as in the technical details, and an admin the whole path', async () => {
    const asAdmin = (await h.service.call(h.sessions.ADMIN, 'executions.get', { id: failedId })).failure!;
    expect(asAdmin.message.ko).toContain(`폴더 ${dir}`);
    expect(asAdmin.message.en).toContain(`the folder ${dir}`);
    expect(asAdmin.technical).toContain(dir);

    const { failure } = await h.service.call(h.sessions.MANAGER, 'executions.get', { id: failedId });
    const said = `${failure!.message.ko}\n${failure!.message.en}\n${failure!.advice.ko}\n${failure!.advice.en}`;
    expect(said).not.toContain(dir);
    expect(failure!.technical).not.toContain(dir);
    // the sentence names what the technical details name, the file name, and still reads as a sentence
    expect(failure!.technical).toMatch(/'reports'/);
    expect(failure!.message.ko).toBe("'일간 보고서 작성' 단계에서 폴더 reports를 만들거나 쓸 수 없습니다. 그 경로 중간에 폴더가 아닌 파일이 있습니다.");
    expect(failure!.message.en).toBe('In the step “Write the daily reports”: the folder reports cannot be made or written: a file, not a folder, is in its way.');
  });

  it('tells an admin to restart after fixing the cause, and a manager, who may not restart, to ask an admin to', async () => {
    const asAdmin = (await h.service.call(h.sessions.ADMIN, 'executions.get', { id: failedId })).failure!;
    expect(asAdmin.advice).toEqual({ ko: '그 파일을 옮기거나 실행 조건의 폴더를 바꾼 뒤 재시작하세요.', en: 'Move that file out of the way (or choose another folder), then restart.' });

    const asManager = (await h.service.call(h.sessions.MANAGER, 'executions.get', { id: failedId })).failure!;
    expect(asManager.advice).toEqual({
      ko: '그 파일을 옮기거나 실행 조건의 폴더를 바꾼 뒤 관리자에게 재시작을 부탁하세요.',
      en: 'Move that file out of the way (or choose another folder), then ask an admin to restart it.',
    });
    await expect(h.service.call(h.sessions.MANAGER, 'executions.restart', { id: failedId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

it('words every restart or abandon in the advice as a request to an admin for a reader who may not restart', () => {
  const reader = { mayRestart: false };
  const ends = [
    ['STOPPED', 'Stopped at a chunk boundary on request'],
    ['FAILED', 'Marked FAILED by recovery: the process running it (pid 4242 on desk-1) ended without finishing, last heartbeat 2026-11-30T15:00:00.000Z.'],
    ['FAILED', 'makeStatisticsJob: "to" (2026-11-01T00:00:00.000Z) must come after "from" (2026-11-02T00:00:00.000Z)'],
    ['FAILED', 'someStep: Parameter "reportDir" is not a folder'],
    ['FAILED', "someStep: ENOENT: no such file or directory, open '/data/in.csv'"],
    ['FAILED', "someStep: ENOSPC: no space left on device, write '/data/reports/daily.csv.tmp'"],
    ['FAILED', "someStep: EACCES: permission denied, open '/data/reports'"],
    ['FAILED', 'someStep: connect ECONNREFUSED 127.0.0.1:3306'],
    ['FAILED', 'someStep: something nobody expected'],
  ] as const;
  for (const [status, text] of ends) {
    const asAdmin = describeFailure(status, text, 'Asia/Seoul')!;
    const asOther = describeFailure(status, text, 'Asia/Seoul', () => null, reader)!;
    expect(asOther.kind).toBe(asAdmin.kind);
    // an admin is told to do it; anyone else to ask an admin for it
    expect(asAdmin.advice.ko).toMatch(/재시작하세요|포기하세요|재시작하면|(^|\. )포기하고/);
    expect(asOther.advice.ko).toMatch(/관리자에게 .*부탁하세요/);
    expect(asOther.advice.ko).not.toMatch(/재시작하세요|포기하세요|재시작하면|(^|\. )포기하고/);
    expect(asOther.advice.en).toMatch(/[Aa]sk an admin to (restart|abandon)/);
    expect(asOther.advice.en).not.toMatch(/(^|[.:;] |then )(R|r)estart|(^|[.:;] )Abandon/);
  }
  // a disk full: the sentence after the request still reads as before
  expect(describeFailure('FAILED', "someStep: ENOSPC: no space left on device, write '/x/y'", 'Asia/Seoul', () => null, reader)!.advice).toEqual({
    ko: '디스크 공간을 확보한 뒤 관리자에게 재시작을 부탁하세요. 반쯤 쓴 파일은 남지 않습니다.',
    en: 'Free some disk space, then ask an admin to restart it; no half-written file is left behind.',
  });
});

it('names a partition by its step’s title, and a step without a title by its name as before', () => {
  const titles: Record<string, { ko: string; en: string }> = { deductStep: { ko: '수업 후 이용권 차감', en: 'Deduct uses after class' } };
  const partition = describeFailure('FAILED', 'deductStep:partition1: connect ECONNREFUSED 127.0.0.1:3306', 'Asia/Seoul', (name) => titles[name])!;
  expect(partition.message.ko).toMatch(/^'수업 후 이용권 차감' 단계에서 데이터베이스에 연결할 수 없어/);
  expect(partition.message.en).toMatch(/^In the step “Deduct uses after class”: the database could not be reached/);
  const untitled = describeFailure('FAILED', 'someStep: connect ECONNREFUSED 127.0.0.1:3306', 'Asia/Seoul', (name) => titles[name])!;
  expect(untitled.message.ko).toMatch(/^단계 someStep에서 /);
});
