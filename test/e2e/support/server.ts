// A real `pass-batch serve` for the browser tests: a fresh seeded database (an SQLite file, or a
// MariaDB/MySQL database created for the run and dropped after), the server on a free port,
// staff accounts for each role.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/pass-batch.mjs');
export const ADMIN_PASSWORD = 'admin-e2e-password';
export const STAFF_PASSWORD = 'staff-e2e-password';
export const MYSQL_ADMIN_URL = process.env.PASS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

export type Backend = 'sqlite' | 'mysql';

export async function mysqlReachable(): Promise<string | null> {
  try {
    const c = await createConnection(MYSQL_ADMIN_URL);
    await c.end();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The databases a browser test file runs on: SQLite, and MariaDB/MySQL when it answers (in CI it
 * must: there an unreachable server fails the run instead of skipping half of it).
 */
export async function e2eBackends(): Promise<Backend[]> {
  const problem = await mysqlReachable();
  if (problem && process.env.CI) throw new Error(`MariaDB/MySQL is required in CI: ${problem}`);
  if (problem) console.warn(`[e2e] skipping the MySQL run: ${problem}`);
  return problem ? ['sqlite'] : ['sqlite', 'mysql'];
}

export interface Served {
  backend: Backend;
  url: string;
  dbUrl: string;
  workDir: string;
  output: () => string;
  stop(): Promise<void>;
}

async function createDatabase(backend: Backend, workDir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (backend === 'sqlite') return { url: `sqlite:${join(workDir, 'gym.sqlite')}`, drop: async () => undefined };
  const name = `pc_e2e_${process.pid}_${Date.now().toString(36)}`;
  const admin = await createConnection(MYSQL_ADMIN_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(MYSQL_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = await createConnection(MYSQL_ADMIN_URL);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** `gym: 'empty'`: no demo gym, as a gym that chose an empty one on the first run (its staff still made by createStaff) */
export async function startServe(backend: Backend, options: { gym?: 'demo' | 'empty' } = {}): Promise<Served> {
  const workDir = mkdtempSync(join(tmpdir(), `pass-e2e-${backend}-`));
  const db = await createDatabase(backend, workDir);
  const env = {
    ...process.env,
    PASS_DB_URL: db.url,
    PASS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PASS_REPORT_DIR: join(workDir, 'reports'),
    PASS_DATA_DIR: workDir,
    PASS_BACKUP_DIR: join(workDir, 'backups'),
    PASS_TIME_ZONE: 'Asia/Seoul',
  };
  await run(process.execPath, [BIN, 'migrate'], { env, cwd: ROOT }).catch(() => undefined);
  if (options.gym !== 'empty') await run(process.execPath, [BIN, 'seed'], { env, cwd: ROOT });
  // PASS_E2E_STATIC_DIR: the screens built elsewhere (a build of a working tree that leaves out/ to the others)
  const staticDir = process.env.PASS_E2E_STATIC_DIR ?? join(ROOT, 'out/renderer');
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--static', staticDir], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Pass Console is serving (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  return {
    backend,
    url,
    dbUrl: db.url,
    workDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      await db.drop().catch(() => undefined);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** A small client of the HTTP API, for what the test does behind the screens' back. */
export class Api {
  constructor(
    readonly url: string,
    readonly token: string | null = null,
  ) {}

  static async login(url: string, username: string, password: string): Promise<Api> {
    const response = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (!response.ok) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
    return new Api(url, ((await response.json()) as { token: string }).token);
  }

  async raw(operation: string, input: unknown = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.url}/api/rpc/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify(input),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  }

  async call<T = any>(operation: string, input: unknown = {}): Promise<T> {
    const { status, body } = await this.raw(operation, input);
    if (status >= 400) throw new Error(`${operation}: ${status} ${JSON.stringify(body)}`);
    return body as T;
  }
}

export const STAFF = { frontDesk: 'desk.kim', manager: 'manager.lee' } as const;

export async function createStaff(url: string): Promise<Api> {
  const admin = await Api.login(url, 'admin', ADMIN_PASSWORD);
  await admin.call('staff.create', { username: STAFF.frontDesk, password: STAFF_PASSWORD, role: 'FRONT_DESK' });
  await admin.call('staff.create', { username: STAFF.manager, password: STAFF_PASSWORD, role: 'MANAGER' });
  return admin;
}
