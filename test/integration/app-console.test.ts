// main/app/console.ts: what the Electron main process and `serve` open (the shell's tests fake it).
// On a fresh SQLite file: migrated, the demo gym added once when asked for, the admin account
// created, the service answering as that admin, the scheduler holding every job's schedule;
// closed cleanly. The desktop's start adds nothing (its first-run screen chooses). A database a
// Spring Batch application already uses is adopted without a demo gym.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openConsole, prepareDatabase } from '../../main/app/console.ts';

const dir = mkdtempSync(join(tmpdir(), 'pass-desktop-'));
const dbUrl = `sqlite:${join(dir, 'pass.sqlite')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openConsole', () => {
  it('first run: demo gym, admin with a generated password, six pass jobs, the member import, the history clean-up and the backup, each but the import with its schedule', async () => {
    const lines: string[] = [];
    const engine = await openConsole({ dbUrl, seedDemo: true, scheduler: false, log: (line) => lines.push(line) });
    try {
      expect(engine.seeded?.members).toBe(2000);
      // said once, at start: the database and the time zone, and where the zone came from
      const said = lines.filter((line) => line.startsWith('Database: '));
      expect(said).toEqual([`Database: ${dbUrl} (sqlite); time zone: ${engine.runtime.operator.timeZone} (${process.env.PASS_TIME_ZONE ? 'from PASS_TIME_ZONE' : 'the default'}).`]);
      expect(engine.admin.created).toBe(true);
      const password = engine.admin.generatedPassword!;
      expect(password.length).toBeGreaterThanOrEqual(8);

      const info = await engine.service.call(null, 'session.login', { username: 'admin', password });
      const session = (await engine.service.authenticate(info.token))!;
      const jobNames = (await engine.service.call(session, 'jobs.list', {})).map((job) => job.name);
      expect(jobNames).toHaveLength(9);
      expect(jobNames).toContain('cleanJobHistoryJob');
      expect(jobNames).toContain('backupDatabaseJob');
      expect(jobNames).toContain('importMembersJob');
      const schedules = await engine.service.call(session, 'schedules.list', {});
      // the import runs on a file staff choose, never on a schedule
      expect(schedules.map((s) => s.jobName).sort()).toEqual(jobNames.filter((name) => name !== 'importMembersJob').sort());
      expect(schedules.find((s) => s.jobName === 'cleanJobHistoryJob')).toMatchObject({ cron: '30 3 * * *', enabled: true });
      expect(schedules.find((s) => s.jobName === 'backupDatabaseJob')).toMatchObject({ cron: '45 3 * * *', enabled: true });
      expect(engine.reportFolder).toBeTruthy();
    } finally {
      await engine.close();
    }
    await engine.close(); // twice is harmless
  });

  it.runIf(process.platform !== 'win32')('a data folder it makes is its owner’s alone (0700), and so are the database and its WAL files (0600)', async () => {
    const data = join(dir, 'fresh', 'Pass Console');
    const engine = await openConsole({ dbUrl: `sqlite:${join(data, 'pass.sqlite')}`, seedDemo: false, scheduler: false, adminPassword: 'owner-only-password-1', log: () => undefined });
    try {
      expect(statSync(data).mode & 0o777).toBe(0o700);
      for (const file of ['pass.sqlite', 'pass.sqlite-wal', 'pass.sqlite-shm']) expect([file, statSync(join(data, file)).mode & 0o777]).toEqual([file, 0o600]);
    } finally {
      await engine.close();
    }
  });

  it("the desktop's start (admin: 'ask') adds no demo gym to a new database: its first-run screen asks how the gym starts", async () => {
    const fresh = `sqlite:${join(dir, 'desktop.sqlite')}`;
    const engine = await openConsole({ dbUrl: fresh, admin: 'ask', scheduler: false, log: () => undefined });
    try {
      expect(engine.seeded).toBeNull();
      expect(engine.admin).toEqual({ created: false, username: 'admin', awaitingSetup: true });
      expect(await engine.service.call(null, 'setup.status', {})).toEqual({ needsAdmin: true, hasGymData: false });
      const members = await engine.runtime.db.kysely.selectFrom('user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(members.n)).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('second run: nothing added again, no new password', async () => {
    const engine = await openConsole({ dbUrl, seedDemo: true, scheduler: false, log: () => undefined });
    try {
      expect(engine.seeded).toBeNull();
      expect(engine.admin).toEqual({ created: false, username: 'admin' });
    } finally {
      await engine.close();
    }
    expect((await prepareDatabase({ dbUrl })).seeded).toBeNull();
  });

  it('a database a Spring Batch application already uses gets no demo gym, only our tables', async () => {
    const springUrl = `sqlite:${join(dir, 'spring.sqlite')}`;
    const spring = new BetterSqlite3(springUrl.slice('sqlite:'.length));
    spring.exec(readFileSync(join(import.meta.dirname, '../fixtures/spring-batch-5/schema-sqlite.sql'), 'utf8'));
    spring.exec(`INSERT INTO BATCH_JOB_INSTANCE VALUES (1, 0, 'importJob', '${'a'.repeat(32)}');
      INSERT INTO BATCH_JOB_EXECUTION VALUES (1, 2, 1, 1764464400000, 1764464400000, 1764464405000, 'COMPLETED', 'COMPLETED', '', 1764464405000)`);
    spring.close();
    const lines: string[] = [];
    const prepared = await prepareDatabase({ dbUrl: springUrl, log: (line) => lines.push(line) });
    expect(prepared.seeded).toBeNull();
    expect(prepared.applied.length).toBeGreaterThan(0);
    expect(lines).toContain('The demo gym was not added: the database already records 1 job execution.');
    const after = new BetterSqlite3(springUrl.slice('sqlite:'.length), { readonly: true });
    try {
      expect(after.prepare('SELECT COUNT(*) AS n FROM user').get()).toEqual({ n: 0 });
      expect(after.prepare('SELECT JOB_EXECUTION_ID AS id, STATUS AS status FROM BATCH_JOB_EXECUTION').all()).toEqual([{ id: 1, status: 'COMPLETED' }]);
    } finally {
      after.close();
    }
  });
});
