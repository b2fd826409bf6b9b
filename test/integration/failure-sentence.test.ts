// A failed execution's sentence ("What happened") in the words of the screens, on both databases:
// the step where it failed by its title in the screen's language ('일간 보고서 작성' / “Write the
// daily report”) as the step table names it, not the engine's code name (writeDailyReportStep), a
// partition's step as its step's; and a server path as the technical details show it to the same
// people: a manager reads only its file name ('reports'), an admin the whole path.
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
      expect(failure!.message.en).toMatch(/^In the step “Write the daily report”: the folder /);
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
    expect(failure!.message.en).toBe('In the step “Write the daily report”: the folder reports cannot be made or written: a file, not a folder, is in its way.');
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
