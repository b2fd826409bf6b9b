// A failed execution's sentence names the step where it failed as the step table does, by its
// title in the screen's language ('일간 보고서 작성' / “Write the daily report”), not by the
// engine's code name (writeDailyReportStep), on both databases; a partition's step is its step's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeFailure } from '../../main/service/failures.ts';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('failure step title', (backend) => {
  let h: ServiceHarness;
  let dir: string;
  const reportDirBefore = process.env.PASS_REPORT_DIR;
  beforeAll(async () => {
    h = await serviceHarness(backend);
    dir = mkdtempSync(join(tmpdir(), 'pass-step-title-'));
    process.env.PASS_REPORT_DIR = dir;
  });
  afterAll(async () => {
    if (reportDirBefore === undefined) delete process.env.PASS_REPORT_DIR;
    else process.env.PASS_REPORT_DIR = reportDirBefore;
    await h?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names the step a statistics run failed in by its title in Korean and English, not by its code name', async () => {
    const blocker = join(dir, 'blocked');
    writeFileSync(blocker, 'not a folder');
    const failed = await h.service.call(h.sessions.ADMIN, 'executions.launch', {
      job: 'makeStatisticsJob',
      params: { from: '2026-11-02T00:00', to: '2026-11-03T00:00', reportDir: join(blocker, 'reports') },
    });
    expect(await waitForEnd(h, failed.id)).toBe('FAILED');
    for (const session of [h.sessions.ADMIN, h.sessions.MANAGER]) {
      const { failure } = await h.service.call(session, 'executions.get', { id: failed.id });
      expect(failure!.message.ko).toMatch(/^'일간 보고서 작성' 단계에서 폴더 /);
      expect(failure!.message.en).toMatch(/^In the step “Write the daily report”: the folder /);
      expect(`${failure!.message.ko} ${failure!.message.en}`).not.toContain('writeDailyReportStep');
    }
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
