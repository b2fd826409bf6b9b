// The embedded database is the gym's only copy of its passes: backupDatabaseJob copies it while
// the console goes on working, under its real name only once the copy checks out, keeps the
// newest `keep`, and on MySQL says plainly that the server's tools do that job. A resourceless
// tasklet (the engine's, used by the copy) runs outside any transaction.
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { backupDatabaseJob, backupFolderOf, defineJob, JobOperator, migrateToLatest, numberParam, openDatabase, resourcelessTaskletStep, restoreDatabase, sqlitePath } from '../../main/batch/index.ts';
import { migrate } from '../../main/app/runtime.ts';
import { main } from '../../main/cli/index.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { allowFolder } from '../support/folders.ts';

const NOW = new Date('2026-12-05T03:45:00Z');
const NAME_AT = (stem: string, at: string) => `${stem}-${at}.sqlite`;

let gate: { opened: Promise<void>; open(): void; entered: Promise<void>; enter(): void };
function newGate() {
  let open!: () => void;
  let enter!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const entered = new Promise<void>((resolve) => (enter = resolve));
  gate = { opened, open, entered, enter };
}

/** A resourceless tasklet that waits for the test, as a long copy would. */
const waitingJob = defineJob({
  name: 'waitingJob',
  params: { n: numberParam({ integer: true }) },
  steps: [
    resourcelessTaskletStep({
      name: 'waitStep',
      async tasklet(ctx) {
        gate.enter();
        await gate.opened;
        ctx.executionContext.waited = true;
        ctx.contribution.writeCount++;
      },
    }),
  ],
});

describeEachBackend('backing up the database', (backend) => {
  let t: TestDatabase;
  let operator: JobOperator;
  let dir: string;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    operator = new JobOperator({ database: t.db, jobs: [waitingJob, backupDatabaseJob] });
    dir = mkdtempSync(join(tmpdir(), 'pass-backup-'));
    await allowFolder(t.db.kysely, dir);
    newGate();
  });
  afterEach(async () => {
    gate.open();
    await operator.close();
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const steps = async (id: number) => Object.fromEntries((await operator.repository.stepExecutions(id)).map((s) => [s.stepName, s]));
  const executionCount = async () => (await t.db.kysely.selectFrom('BATCH_JOB_EXECUTION').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  test('a resourceless tasklet runs outside any transaction: the database answers others while it works, and its progress is committed after', async () => {
    const launched = operator.run('waitingJob', { n: 1 });
    await gate.entered;
    // On SQLite the one connection would be held by the step's transaction until the gate opens.
    const running = await t.db.kysely.selectFrom('BATCH_STEP_EXECUTION').select(['STEP_NAME', 'STATUS', 'COMMIT_COUNT']).execute();
    expect(running).toEqual([{ STEP_NAME: 'waitStep', STATUS: 'STARTED', COMMIT_COUNT: 0 }]);
    gate.open();
    const execution = await launched;
    expect(execution.status).toBe('COMPLETED');
    const { waitStep } = await steps(execution.id);
    expect(waitStep).toMatchObject({ status: 'COMPLETED', commitCount: 1, writeCount: 1 });
    expect(waitStep!.executionContext).toMatchObject({ waited: true });
  });

  test('bad parameters are refused before anything is written', async () => {
    const before = await executionCount();
    for (const keep of [0, 366, 1.5, 'many']) {
      await expect(operator.run('backupDatabaseJob', { now: NOW, keep, backupDir: dir })).rejects.toThrow(/keep/);
    }
    expect(await executionCount()).toBe(before);
    expect(readdirSync(dir)).toEqual([]);
  });

  if (backend === 'mysql') {
    test('on MySQL it fails at once saying the server backs it up, and writes no file', async () => {
      const execution = await operator.run('backupDatabaseJob', { now: NOW, backupDir: dir });
      expect(execution.status).toBe('FAILED');
      expect(execution.exitMessage).toContain('mysqldump');
      expect(readdirSync(dir)).toEqual([]);
    });
    return;
  }

  test('the copy opens, checks out and holds every row, under a name that says when; nothing half-made is left', async () => {
    gate.open();
    const earlier = await operator.run('waitingJob', { n: 1 });
    const source = sqlitePath(t.db.url);
    const stem = source.split('/').at(-1)!.replace(/\.sqlite$/, '');
    const execution = await operator.run('backupDatabaseJob', { now: NOW, backupDir: dir });
    expect(execution.status).toBe('COMPLETED');
    const file = join(dir, NAME_AT(stem, '20261205T034500Z'));
    expect(readdirSync(dir)).toEqual([NAME_AT(stem, '20261205T034500Z')]);
    // a copy of every member's phone number: its owner's alone
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    const copy = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      // Everything up to the copy's start is in it: the waiting job's run and this job's own start.
      const executions = copy.prepare('SELECT JOB_EXECUTION_ID AS id FROM BATCH_JOB_EXECUTION ORDER BY 1').all() as { id: number }[];
      expect(executions.map((e) => e.id)).toEqual(expect.arrayContaining([earlier.id, execution.id]));
      const tables = (copy.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['BATCH_JOB_INSTANCE', 'BATCH_STEP_EXECUTION_CONTEXT', 'BATCH_JOB_EXECUTION_OWNER']));
    } finally {
      copy.close();
    }
    const { copyDatabaseStep, deleteOldBackupsStep } = await steps(execution.id);
    expect(copyDatabaseStep).toMatchObject({ status: 'COMPLETED', writeCount: 1 });
    expect(copyDatabaseStep!.executionContext).toMatchObject({ 'backup.file': file });
    expect(deleteOldBackupsStep).toMatchObject({ status: 'COMPLETED', writeCount: 0 });
  });

  test('keeps the newest copies, touches no other file, and clears a crashed run’s leftover once it is old', async () => {
    const stem = sqlitePath(t.db.url).split('/').at(-1)!.replace(/\.sqlite$/, '');
    const older = ['20261128T034500Z', '20261129T034500Z', '20261130T034500Z', '20261201T034500Z', '20261202T034500Z'].map((at) => NAME_AT(stem, at));
    for (const name of older) writeFileSync(join(dir, name), 'an old copy');
    const others = ['notes.txt', 'other-20261101T000000Z.sqlite', `${stem}-latest.sqlite`];
    for (const name of others) writeFileSync(join(dir, name), 'not ours to delete');
    const staleTemp = `${NAME_AT(stem, '20261127T034500Z')}.partial-99999`;
    const freshTemp = `${NAME_AT(stem, '20261205T034000Z')}.partial-99998`;
    writeFileSync(join(dir, staleTemp), 'half');
    writeFileSync(join(dir, freshTemp), 'being written by someone else');
    const longAgo = new Date(Date.now() - 7 * 3_600_000);
    utimesSync(join(dir, staleTemp), longAgo, longAgo);

    const execution = await operator.run('backupDatabaseJob', { now: NOW, keep: 3, backupDir: dir });
    expect(execution.status).toBe('COMPLETED');
    expect(readdirSync(dir).sort()).toEqual([...others, NAME_AT(stem, '20261201T034500Z'), NAME_AT(stem, '20261202T034500Z'), NAME_AT(stem, '20261205T034500Z'), freshTemp].sort());
    const { deleteOldBackupsStep } = await steps(execution.id);
    expect(deleteOldBackupsStep).toMatchObject({ writeCount: 3 });
  });

  test('a folder that cannot be written fails naming the file and leaves nothing; after the fix a restart completes', async () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the folder should be');
    const backupDir = join(blocked, 'backups');
    const failed = await operator.run('backupDatabaseJob', { now: NOW, backupDir });
    expect(failed.status).toBe('FAILED');
    expect(failed.exitMessage).toContain(blocked);
    expect(readdirSync(dir)).toEqual(['blocked']);

    rmSync(blocked);
    const restarted = await (await operator.restart(failed.id)).done;
    expect(restarted.status).toBe('COMPLETED');
    const files = readdirSync(backupDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/-20261205T034500Z\.sqlite$/);
    expect(existsSync(join(backupDir, files[0]!))).toBe(true);
  });
});

describe('restoring a backup (pass-batch restore)', () => {
  let dir: string;
  let dbUrl: string;
  let databaseFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pass-restore-'));
    databaseFile = join(dir, 'gym.sqlite');
    dbUrl = `sqlite:${databaseFile}`;
    newGate();
    gate.open();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = async () => {
    const db = await openDatabase(dbUrl);
    await migrateToLatest(db, { '001_batch_metadata': await import('../../db/migrations/001_batch_metadata.ts') });
    return { db, operator: new JobOperator({ database: db, jobs: [waitingJob, backupDatabaseJob] }) };
  };
  const executionIds = async (file: string) => {
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT JOB_EXECUTION_ID AS id FROM BATCH_JOB_EXECUTION ORDER BY 1').all() as { id: number }[]).map((r) => r.id);
    } finally {
      db.close();
    }
  };
  const cli = async (...argv: string[]) => {
    const out = { text: '', write: (t: string) => void (out.text += t) };
    const err = { text: '', write: (t: string) => void (err.text += t) };
    const code = await main(argv, { dbUrl, stdout: out, stderr: err });
    return { code, out: out.text, err: err.text };
  };

  test('a restore looks in the folder the nightly schedule writes to, else beside the database', async () => {
    const expected = process.env.PASS_BACKUP_DIR?.trim() || join(dir, 'backups');
    expect(await backupFolderOf(join(dir, 'missing.sqlite'))).toBe(process.env.PASS_BACKUP_DIR?.trim() || join(dir, 'backups'));
    const db = new BetterSqlite3(databaseFile);
    db.exec(`CREATE TABLE BATCH_SCHEDULE (JOB_NAME TEXT PRIMARY KEY, PARAMS TEXT)`);
    expect(await backupFolderOf(databaseFile)).toBe(expected);
    db.prepare('INSERT INTO BATCH_SCHEDULE VALUES (?, ?)').run('backupDatabaseJob', JSON.stringify({ keep: 3, backupDir: join(dir, 'nightly') }));
    // read while another connection has the file open, as the desktop does before it closes its engine
    expect(await backupFolderOf(databaseFile)).toBe(join(dir, 'nightly'));
    db.prepare('UPDATE BATCH_SCHEDULE SET PARAMS = ?').run('not json');
    expect(await backupFolderOf(databaseFile)).toBe(expected);
    db.close();
  });

  test('a restore is recorded in the restored database\'s activity log, as cli:<OS user>, with the copy put back and where the old one is kept', async () => {
    const backupDir = join(dir, 'backups');
    const db = await openDatabase(dbUrl);
    await migrate(db);
    mkdirSync(backupDir);
    await allowFolder(db.kysely, backupDir); // as an admin would on the Settings screen
    const operator = new JobOperator({ database: db, jobs: [backupDatabaseJob] });
    await operator.run('backupDatabaseJob', { now: NOW, backupDir });
    await operator.close();
    await db.close();
    const backupFile = join(backupDir, 'gym-20261205T034500Z.sqlite');

    const restored = await cli('restore', backupFile, '--yes');
    expect(restored.code, restored.err).toBe(0);
    const keptAs = /kept as (\S+);/.exec(restored.out)![1]!;
    const after = new BetterSqlite3(databaseFile, { readonly: true });
    try {
      const rows = after.prepare("SELECT actor, action, target, detail FROM audit_log WHERE action = 'backups.restore'").all() as Array<{ actor: string; action: string; target: string; detail: string }>;
      expect(rows).toEqual([{ actor: `cli:${userInfo().username}`, action: 'backups.restore', target: `file:${backupFile}`, detail: JSON.stringify({ file: backupFile, keptAs }) }]);
    } finally {
      after.close();
    }
  });

  test('refused with nothing changed while the database is open, without --yes, or from a file that is no backup; then restored, and undone', async () => {
    const backupDir = join(dir, 'backups');
    const { db, operator } = await open();
    const first = await operator.run('waitingJob', { n: 1 });
    const backup = await operator.run('backupDatabaseJob', { now: NOW, backupDir });
    const later = await operator.run('waitingJob', { n: 2 });
    const backupFile = join(backupDir, `gym-20261205T034500Z.sqlite`);
    const atBackup = await executionIds(backupFile);
    expect(atBackup).toEqual([first.id, backup.id]);

    // Open by this process: refused, nothing written anywhere.
    const inUse = await cli('restore', backupFile, '--yes');
    expect(inUse.code).toBe(1);
    expect(inUse.err).toContain('is in use');
    expect(readdirSync(backupDir)).toEqual(['gym-20261205T034500Z.sqlite']);
    await operator.close();
    await db.close();
    const before = await executionIds(databaseFile);
    expect(before).toEqual([first.id, backup.id, later.id]);

    const unconfirmed = await cli('restore', backupFile);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toContain('--yes');

    const notSqlite = join(dir, 'notes.sqlite');
    writeFileSync(notSqlite, 'not a database at all');
    const foreign = join(dir, 'other.sqlite');
    new BetterSqlite3(foreign).exec('CREATE TABLE t (x)').close();
    for (const [file, why] of [[notSqlite, 'not an SQLite database'], [foreign, 'not a backup of this database'], [join(dir, 'missing.sqlite'), 'cannot be opened'], [databaseFile, 'the database itself']] as const) {
      const refused = await cli('restore', file, '--yes');
      expect(refused.code, file).toBe(1);
      expect(refused.err, file).toContain(why);
    }
    expect(await executionIds(databaseFile)).toEqual(before);
    expect(readdirSync(backupDir)).toEqual(['gym-20261205T034500Z.sqlite']);

    const restored = await cli('restore', backupFile, '--yes');
    expect(restored.code, restored.err).toBe(0);
    expect(await executionIds(databaseFile)).toEqual(atBackup);
    const keptAs = /kept as (\S+);/.exec(restored.out)![1]!;
    expect(await executionIds(keptAs)).toEqual(before);
    // no temporary file left beside it (its -wal and -shm are SQLite's own, made by the readers above)
    expect(readdirSync(dir).filter((name) => name.startsWith('gym.sqlite') && !/-(wal|shm)$/.test(name))).toEqual(['gym.sqlite']);

    // The restored database opens, migrates and runs jobs; the undo puts the later run back.
    const reopened = await open();
    expect((await reopened.operator.run('waitingJob', { n: 3 })).status).toBe('COMPLETED');
    await reopened.operator.close();
    await reopened.db.close();
    // Undone in the same second the kept copy is named by: the new kept copy takes the next second's name.
    const stamp = /-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z\.sqlite$/.exec(keptAs)!;
    const sameSecond = new Date(`${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}Z`);
    const undone = await restoreDatabase(databaseFile, keptAs, backupDir, sameSecond);
    expect(undone.keptAs).not.toBe(keptAs);
    expect(await executionIds(databaseFile)).toEqual(before);
    expect((await executionIds(undone.keptAs)).slice(0, 2)).toEqual(atBackup);
  });
});
