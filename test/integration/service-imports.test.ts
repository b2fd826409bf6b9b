// 회원 가져오기 through the service, as the front desk does it, on both databases: upload a
// CP949 CSV, see its first rows and column mapping, a dry run that writes nothing, the real
// import, its status and its rejects file in the screen's language; uploads and file names
// that are refused; another job's execution is not the desk's to read here.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fileJobs } from '../../main/pass/jobs/index.ts';
import type { ServiceError } from '../../main/service/errors.ts';
import { importsFolder } from '../../main/service/imports.ts';
import { describeEachBackend } from '../support/databases.ts';
import { apiClient, httpToken, serviceHarness, snapshot, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';
import { startHttpServer } from '../../main/http/server.ts';

const refused = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the call was not refused');
    },
    (error: ServiceError) => error,
  );

/** A small member list as Korean Excel saves it: CP949, two good rows and one without a name. */
function cp949List(): string {
  const text = stringify(
    [
      ['회원번호', '이름', '전화번호', '그룹'],
      ['X0000001', '가나다', '010-7777-0001', 'HANBADA'],
      ['X0000002', '', '010-7777-0002', ''],
      ['X0000003', '라마바', '+82 10 7777 0003', '새그룹'],
    ],
    { record_delimiter: 'windows' },
  );
  return iconv.encode(text, 'cp949').toString('base64');
}

describeEachBackend('member import through the service', (backend) => {
  let h: ServiceHarness;
  let dataDir: string;
  let dataDirBefore: string | undefined;
  beforeAll(async () => {
    dataDirBefore = process.env.PASS_DATA_DIR;
    dataDir = mkdtempSync(join(tmpdir(), 'pass-service-import-'));
    process.env.PASS_DATA_DIR = dataDir;
    h = await serviceHarness(backend, { extraJobs: fileJobs });
  });
  afterAll(async () => {
    await h?.dispose();
    if (dataDirBefore === undefined) delete process.env.PASS_DATA_DIR;
    else process.env.PASS_DATA_DIR = dataDirBefore;
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the front desk uploads a CP949 file, previews it, checks it with a dry run that writes nothing, imports it and gets the rejects file in its language', async () => {
    const desk = h.sessions.FRONT_DESK;
    const upload = await h.service.call(desk, 'imports.upload', { fileName: '회원 목록 (옛 프로그램).csv', contentBase64: cp949List() });
    expect(upload.fileName).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}-회원 목록 \(옛 프로그램\)\.csv$/);
    expect(readdirSync(importsFolder())).toEqual([upload.fileName]);

    const preview = await h.service.call(desk, 'imports.preview', { fileName: upload.fileName });
    expect(preview).toMatchObject({ format: 'csv', encoding: 'cp949', header: ['회원번호', '이름', '전화번호', '그룹'], problem: null, rowEstimate: 3 });
    expect(preview.mapping.filter((m) => m.column !== null)).toEqual([
      { field: 'id', column: 0, header: '회원번호' },
      { field: 'name', column: 1, header: '이름' },
      { field: 'phone', column: 2, header: '전화번호' },
      { field: 'group', column: 3, header: '그룹' },
    ]);
    expect(preview.rows.map((r) => [r.row, r.cells[1], r.problem?.en ?? null])).toEqual([
      [2, '가나다', null],
      [3, '', 'The name is empty'],
      [4, '라마바', null],
    ]);

    const before = await snapshot(h);
    const dry = await h.service.call(desk, 'imports.start', { fileName: upload.fileName, dryRun: true });
    expect(await waitForEnd(h, dry.id)).toBe('COMPLETED');
    const checked = await h.service.call(desk, 'imports.status', { id: dry.id });
    expect(checked).toMatchObject({ dryRun: true, created: 2, matched: 0, rejectsFile: null, step: { read: 3, written: 2, skipped: 1 } });
    expect(checked.problems).toEqual([{ row: 3, message: { ko: '이름이 비어 있습니다', en: 'The name is empty' } }]);
    expect(checked.execution.parameters).not.toHaveProperty('file'); // the server's folders are not shown
    const afterDryRun = await snapshot(h);
    // the dry run's own execution and its audit row, nothing else
    expect({ ...afterDryRun, audit_log: 0, BATCH_JOB_INSTANCE: 0, BATCH_JOB_EXECUTION: 0, BATCH_STEP_EXECUTION: 0 }).toEqual({ ...before, audit_log: 0, BATCH_JOB_INSTANCE: 0, BATCH_JOB_EXECUTION: 0, BATCH_STEP_EXECUTION: 0 });

    const real = await h.service.call(desk, 'imports.start', { fileName: upload.fileName, dryRun: false, language: 'ko' });
    expect(await waitForEnd(h, real.id)).toBe('COMPLETED');
    const done = await h.service.call(desk, 'imports.status', { id: real.id });
    expect(done).toMatchObject({ dryRun: false, created: 2, groupsAdded: 2, rejectedRows: 1, step: { written: 2, skipped: 1 } });
    expect(done.rejectsFile).toMatch(/\.rejects-\d{8}-\d{6}\.csv$/);
    const rejects = await h.service.call(desk, 'imports.rejects', { id: real.id });
    expect(rejects).toEqual({ fileName: done.rejectsFile, rows: 1, text: '회원번호,이름,전화번호,그룹,사유\r\nX0000002,,010-7777-0002,,이름이 비어 있습니다\r\n' });
    const member = await h.service.call(desk, 'members.passes', { userId: 'X0000003' });
    expect(member.member).toMatchObject({ userName: '라마바', phone: '01077770003' });

    const actions = await h.database.db.kysely.selectFrom('audit_log').select('action').where('action', 'like', 'imports.%').orderBy('audit_seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['imports.upload', 'imports.start', 'imports.start']);
  });

  test('an upload of another kind of file, an .xlsx that is no workbook, text that is no base64 and a name that leaves the imports folder are refused, writing nothing', async () => {
    const desk = h.sessions.FRONT_DESK;
    const files = () => (existsSync(importsFolder()) ? readdirSync(importsFolder()).sort() : []);
    const before = files();
    const csv = Buffer.from('이름,전화번호\r\n가,010-1234-5678\r\n').toString('base64');
    expect((await refused(h.service.call(desk, 'imports.upload', { fileName: 'members.txt', contentBase64: csv }))).field).toBe('fileName');
    expect((await refused(h.service.call(desk, 'imports.upload', { fileName: 'members.xlsx', contentBase64: csv }))).field).toBe('contentBase64');
    expect((await refused(h.service.call(desk, 'imports.upload', { fileName: 'members.csv', contentBase64: '!!!' }))).field).toBe('contentBase64');
    expect(files()).toEqual(before);
    // a name with folders in it keeps its last part, inside the imports folder
    const kept = await h.service.call(desk, 'imports.upload', { fileName: '../../../etc/cron.d/x.csv', contentBase64: csv });
    expect(kept.fileName).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}-x\.csv$/);
    expect(existsSync(join(importsFolder(), kept.fileName))).toBe(true);
    for (const fileName of ['../members.csv', '/etc/passwd.csv', 'a\\..\\b.csv', '.hidden.csv', 'members.exe']) {
      const error = await refused(h.service.call(desk, 'imports.preview', { fileName }));
      expect([fileName, error.code, error.field]).toEqual([fileName, 'VALIDATION', 'fileName']);
    }
    expect((await refused(h.service.call(desk, 'imports.start', { fileName: 'never-uploaded.csv', dryRun: true }))).code).toBe('NOT_FOUND');
  });

  test('over HTTP a 1 MB member file goes through its route and the bridge alike, while any other operation still refuses a body over 64 KB', async () => {
    const server = await startHttpServer({ service: h.service, logError: () => undefined, warn: () => undefined });
    try {
      const api = apiClient(() => server.url);
      const token = await httpToken(api, 'FRONT_DESK');
      const rows = Array.from({ length: 40_000 }, (_, i) => `회원${i},010-${String(2000 + (i % 8000)).padStart(4, '0')}-${String(i % 10_000).padStart(4, '0')}`);
      const contentBase64 = Buffer.from(`이름,전화번호\r\n${rows.join('\r\n')}\r\n`).toString('base64');
      expect(contentBase64.length).toBeGreaterThan(1_000_000);
      const byRoute = await api('POST', '/api/imports', { token, body: { fileName: 'big.csv', contentBase64 } });
      expect(byRoute.status, byRoute.text.slice(0, 200)).toBe(200);
      const byBridge = await api('POST', '/api/rpc/imports.upload', { token, body: { fileName: 'big.csv', contentBase64 } });
      expect(byBridge.status, byBridge.text.slice(0, 200)).toBe(200);
      expect(byBridge.json.sizeBytes).toBe(byRoute.json.sizeBytes);
      const other = await api('POST', '/api/rpc/members.search', { token, body: { query: 'x'.repeat(70_000) } });
      expect([other.status, other.json.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    } finally {
      await server.close();
    }
  });

  test('the desk reads imports only: another job’s execution is not found there', async () => {
    const admin = h.sessions.ADMIN;
    const other = await h.service.call(admin, 'executions.launch', { job: 'expirePassesJob', params: {} });
    await waitForEnd(h, other.id);
    const error = await refused(h.service.call(h.sessions.FRONT_DESK, 'imports.status', { id: other.id }));
    expect(error.code).toBe('NOT_FOUND');
    expect((await refused(h.service.call(h.sessions.FRONT_DESK, 'imports.rejects', { id: other.id }))).code).toBe('NOT_FOUND');
  });

  test("refuses an import of a file that is not there, or is no .csv or .xlsx, in Korean words that need no English, before any execution exists", async () => {
    const before = await snapshot(h);
    const missing = await refused(h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'importMembersJob', params: { file: 'no-such-members.csv' } }));
    expect(missing.code).toBe('INVALID_PARAMETER');
    expect(missing.field).toBe('params.file');
    expect(missing.text.ko).toMatch(/^가져올 파일이 없습니다: .*no-such-members\.csv\. 회원 가져오기 화면에서/);
    expect(missing.text.en).toMatch(/there is no file/);
    const text = await refused(h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'importMembersJob', params: { file: 'members.txt' } }));
    expect(text.text.ko).toBe('가져올 수 있는 파일은 .csv와 .xlsx 파일뿐입니다.');
    for (const error of [missing, text]) expect(error.text.ko).not.toMatch(/Parameter|there is|only/);
    expect(await snapshot(h)).toEqual(before);
  });
});
