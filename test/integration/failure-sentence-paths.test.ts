// A failed execution's sentence ("What happened") names a server path as the technical details
// do for the same people: a manager reads only its file name ('reports'), an admin the whole
// path; on both databases.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('failure sentence paths', (backend) => {
  let h: ServiceHarness;
  let dir: string;
  const reportDirBefore = process.env.PASS_REPORT_DIR;
  beforeAll(async () => {
    h = await serviceHarness(backend);
    dir = mkdtempSync(join(tmpdir(), 'pass-sentence-path-'));
    process.env.PASS_REPORT_DIR = dir;
  });
  afterAll(async () => {
    if (reportDirBefore === undefined) delete process.env.PASS_REPORT_DIR;
    else process.env.PASS_REPORT_DIR = reportDirBefore;
    await h?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a manager only the file name in the sentence, as in the technical details, and an admin the whole path', async () => {
    const blocker = join(dir, 'blocked');
    writeFileSync(blocker, 'not a folder');
    const failed = await h.service.call(h.sessions.ADMIN, 'executions.launch', {
      job: 'makeStatisticsJob',
      params: { from: '2026-11-02T00:00', to: '2026-11-03T00:00', reportDir: join(blocker, 'reports') },
    });
    expect(await waitForEnd(h, failed.id)).toBe('FAILED');

    const asAdmin = (await h.service.call(h.sessions.ADMIN, 'executions.get', { id: failed.id })).failure!;
    expect(asAdmin.message.ko).toContain(`폴더 ${dir}`);
    expect(asAdmin.message.en).toContain(`the folder ${dir}`);
    expect(asAdmin.technical).toContain(dir);

    const { failure } = await h.service.call(h.sessions.MANAGER, 'executions.get', { id: failed.id });
    const said = `${failure!.message.ko}\n${failure!.message.en}\n${failure!.advice.ko}\n${failure!.advice.en}`;
    expect(said).not.toContain(dir);
    expect(failure!.technical).not.toContain(dir);
    // the sentence names what the technical details name, the file name, and still reads as a sentence
    expect(failure!.technical).toMatch(/'reports'/);
    expect(failure!.message.ko).toBe("'일간 보고서 작성' 단계에서 폴더 reports를 만들거나 쓸 수 없습니다. 그 경로 중간에 폴더가 아닌 파일이 있습니다.");
    expect(failure!.message.en).toBe('In the step “Write the daily report”: the folder reports cannot be made or written: a file, not a folder, is in its way.');
  });
});
