// Acceptance (issue 4, "Running it"): `npm start` on a fresh clone here, where the Electron
// binary can't be had, says so in one line and serves the same console on 127.0.0.1, which
// answers GET /api/jobs after login. Runs bin/start.mjs exactly as `npm start` does, on a
// fresh SQLite file; ELECTRON_OVERRIDE_DIST_PATH points at an empty folder so a machine that
// does have the binary takes the same path.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PASSWORD = 'start-test-password-1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('npm start (bin/start.mjs) without an Electron binary', () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let url: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pass-start-'));
    const port = await freePort();
    child = spawn(process.execPath, [join(root, 'bin/start.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        PASS_DB_URL: `sqlite:${join(dir, 'pass.sqlite')}`,
        PASS_DATA_DIR: dir,
        PASS_REPORT_DIR: join(dir, 'reports'),
        PASS_ADMIN_PASSWORD: PASSWORD,
        PASS_PORT: String(port),
        PASS_HOST: '127.0.0.1',
        ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron-here'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not serve in time:\n${output}`)), 110_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code} before serving:\n${output}`));
      });
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("says in one line that the desktop app can't start here, then serves on the chosen loopback port", () => {
    const lines = output.split('\n');
    expect(lines[0]).toMatch(/^The desktop app can't start here \(no Electron: there is none at ELECTRON_OVERRIDE_DIST_PATH \(.*no-electron-here\)\), so the same console is served for a browser instead\.$/);
    expect(lines.filter((line) => /Electron/.test(line))).toHaveLength(1);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toMatch(/First run: added the demo gym \(2000 members/);
    // once, at start: the database and the time zone it works in
    const said = lines.filter((line) => line.startsWith('Database: '));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^Database: sqlite:.*pass\.sqlite \(sqlite\); time zone: [\w/+-]+ \((from PASS_TIME_ZONE|the default)\)\.$/);
  });

  it('answers GET /api/jobs with the nine jobs (six pass jobs, the member import, the history clean-up and the backup) after login, and nothing before it', async () => {
    const anonymous = await fetch(`${url}/api/jobs`);
    expect(anonymous.status).toBe(401);

    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };

    const jobs = await fetch(`${url}/api/jobs`, { headers: { authorization: `Bearer ${token}` } });
    expect(jobs.status).toBe(200);
    const names = ((await jobs.json()) as Array<{ name: string }>).map((job) => job.name).sort();
    expect(names).toEqual(
      ['addPassesJob', 'backupDatabaseJob', 'cleanJobHistoryJob', 'expirePassesJob', 'importMembersJob', 'makeStatisticsJob', 'sendExpiryReminderJob', 'sendNotificationBeforeClassJob', 'usePassesJob'].sort(),
    );

    // The demo gym is there to be looked up.
    const members = await fetch(`${url}/api/users?query=${encodeURIComponent('010')}`, { headers: { authorization: `Bearer ${token}` } });
    expect(members.status).toBe(200);
    expect(((await members.json()) as { members: unknown[] }).members.length).toBeGreaterThan(0);
  });

  it('serves the built console at / with a CSP', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
