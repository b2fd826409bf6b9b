// 설정: the gym's time zone, the console's language and the notifier, kept in the `settings`
// table (db/migrations/005_settings.ts), one row per setting; plus the two tests the Settings
// screen offers: open a database by its URL and run SELECT 1, and send a test notification
// through the configured notifier. A test reports what happened in plain words and never
// repeats a password it was given.
import { dirname, join, resolve } from 'node:path';
import { IANAZone } from 'luxon';
import { allowedFolder, dataFolder, isDuplicateKeyError, openSqliteFile, realFolder, redactUrl, toDbTime } from '../batch/index.ts';
import { dataDirectory, notifierFromSettings, notifierSettingsFromEnv, notifierSettingsOf, resolveNotifierSettings } from '../pass/notify/fromEnv.ts';
import { readSavedSettings, SETTING_KEYS, type SavedSettings } from '../pass/savedSettings.ts';
import type { NotificationEvent } from '../pass/schema.ts';
import type { HandlerContext } from './context.ts';
import type { ConnectionTest, Message, NotifierConfig, ParsedInputOf, SettingsView } from './contract.ts';
import { invalid } from './errors.ts';
import type { Executor, ServiceDb } from './tables.ts';
import { completePolicy, DEFAULT_BOOKING_POLICY, type BookingPolicy } from '../pass/bookingPolicy.ts';

export { notifierSettingsOf };

export interface StoredSettings {
  timeZone: string;
  language: 'ko' | 'en';
  notifier: NotifierConfig;
  allowedFolders: string[];
  bookingPolicy: BookingPolicy;
  modifiedAt: Date | null;
  modifiedBy: string | null;
}

const KEYS = SETTING_KEYS;
type Key = (typeof KEYS)[number];

/** What a fresh install uses until staff change it: the process's zone, Korean, and the env's notifier. */
export function defaultSettings(timeZone: string, env: NodeJS.ProcessEnv = process.env): StoredSettings {
  let notifier: NotifierConfig = { kind: 'logFile' };
  try {
    const fromEnv = notifierSettingsFromEnv(env);
    if (fromEnv.webhookUrl) notifier = { kind: 'webhook', url: fromEnv.webhookUrl, ...(fromEnv.timeoutMs ? { timeoutMs: fromEnv.timeoutMs } : {}) };
    else if (fromEnv.logPath) notifier = { kind: 'logFile', path: fromEnv.logPath };
  } catch {
    // a malformed PASS_NOTIFIER_WEBHOOK_HEADERS: the log file, as with nothing configured
  }
  return { timeZone, language: 'ko', notifier, allowedFolders: [], bookingPolicy: DEFAULT_BOOKING_POLICY, modifiedAt: null, modifiedBy: null };
}

/** The saved settings over the defaults (main/pass/savedSettings.ts reads them; a bad row is skipped). */
export function withDefaults(saved: SavedSettings, defaults: StoredSettings): StoredSettings {
  return {
    timeZone: saved.timeZone ?? defaults.timeZone,
    language: saved.language ?? defaults.language,
    notifier: saved.notifier ?? defaults.notifier,
    allowedFolders: saved.allowedFolders ?? defaults.allowedFolders,
    bookingPolicy: saved.bookingPolicy ? completePolicy(saved.bookingPolicy) : defaults.bookingPolicy,
    modifiedAt: saved.modifiedAt,
    modifiedBy: saved.modifiedBy,
  };
}

/**
 * The stored settings over the defaults. A row edited by hand into nonsense is ignored (the
 * default holds), so a bad value can never stop the console from starting.
 */
export async function readSettings(db: Executor, defaults: StoredSettings): Promise<StoredSettings> {
  return withDefaults(await readSavedSettings(db), defaults);
}

function view(ctx: HandlerContext, stored: StoredSettings): SettingsView {
  return {
    timeZone: stored.timeZone,
    activeTimeZone: ctx.operator.timeZone,
    language: stored.language,
    notifier: stored.notifier,
    database: { url: ctx.database.displayUrl, dialect: ctx.database.dialect },
    dataFolder: dataFolder(),
    allowedFolders: stored.allowedFolders,
    bookingPolicy: stored.bookingPolicy,
    modifiedAt: stored.modifiedAt?.toISOString() ?? null,
    modifiedBy: stored.modifiedBy,
  };
}

const current = (ctx: HandlerContext) => readSettings(ctx.db, defaultSettings(ctx.timeZone));

export async function getSettings(ctx: HandlerContext): Promise<SettingsView> {
  return view(ctx, await current(ctx));
}

async function put(tx: Executor, key: Key, value: unknown, at: Date, by: string): Promise<void> {
  const row = { value: JSON.stringify(value), modified_at: toDbTime(at), modified_by: by.slice(0, 50) };
  const exists = await tx.selectFrom('settings').select('setting_key').where('setting_key', '=', key).executeTakeFirst();
  if (exists) {
    await tx.updateTable('settings').set(row).where('setting_key', '=', key).execute();
    return;
  }
  try {
    await tx.insertInto('settings').values({ setting_key: key, ...row }).execute();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await tx.updateTable('settings').set(row).where('setting_key', '=', key).execute();
  }
}

export async function updateSettings(ctx: HandlerContext, input: ParsedInputOf<'settings.update'>): Promise<SettingsView> {
  // The contract checked the name's shape; the zone database the scheduler uses has the last word.
  if (input.timeZone !== undefined && !IANAZone.isValidZone(input.timeZone)) {
    throw invalid('timeZone', { ko: '알 수 없는 시간대입니다 (예: Asia/Seoul)', en: 'is not a known time zone (e.g. Asia/Seoul)' });
  }
  const before = await current(ctx);
  // Kept resolved (links followed) and absolute, once each: what the folder check compares with.
  const values: Partial<Record<Key, unknown>> = { ...input };
  // a part of the booking policy left out keeps its saved value
  if (input.bookingPolicy !== undefined) values.bookingPolicy = { ...before.bookingPolicy, ...input.bookingPolicy };
  if (input.allowedFolders !== undefined) values.allowedFolders = [...new Set(await Promise.all(input.allowedFolders.map((f) => realFolder(resolve(f)))))];
  await (ctx.db as ServiceDb).transaction().execute(async (tx) => {
    for (const key of KEYS) if (values[key] !== undefined) await put(tx, key, values[key], ctx.now, ctx.actor);
    // The log file's folder, against the folders as this change leaves them.
    const logPath = input.notifier?.kind === 'logFile' ? input.notifier.path : undefined;
    if (logPath) {
      const check = await allowedFolder(dirname(logPath), { kysely: tx, url: ctx.database.url, dialect: ctx.database.dialect });
      if (!check.ok) throw invalid('notifier.path', check.reason);
    }
    const changed = Object.fromEntries(KEYS.filter((k) => values[k] !== undefined).map((k) => [k, { from: before[k], to: values[k] }]));
    await ctx.audit({ action: 'settings.update', target: 'settings', detail: changed }, tx);
  });
  // From the next launch in this process (parameter defaults, times typed without an offset);
  // other desks on the same database take it at their next start.
  if (input.timeZone !== undefined) ctx.operator.setTimeZone(input.timeZone);
  return view(ctx, await current(ctx));
}

// ---- the database test -----------------------------------------------------------------------

/** Removes every spelling of the password from a message a driver produced. */
function scrubbed(text: string, secrets: string[]): string {
  let out = redactUrl(text);
  for (const secret of secrets) if (secret.length >= 1) out = out.split(secret).join('***');
  return out;
}

const failed = (ko: string, en: string): Message => ({ ko, en });

function mysqlProblem(error: { code?: string; message?: string }, where: string, database: string, timeoutMs: number): Message {
  switch (error.code) {
    case 'ECONNREFUSED':
      return failed(`${where}에서 응답하는 데이터베이스 서버가 없습니다 (연결 거부). 서버가 켜져 있는지 확인하세요.`, `Nothing answers at ${where} (connection refused). Is the database server running?`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return failed(`호스트 이름을 찾을 수 없습니다: ${where}`, `The host name in ${where} is not known.`);
    case 'ETIMEDOUT':
    case 'TIMEOUT':
      return failed(`${where}에서 ${timeoutMs / 1000}초 안에 응답이 없습니다.`, `No answer from ${where} within ${timeoutMs / 1000} seconds.`);
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return failed('서버가 사용자 이름 또는 비밀번호를 거부했습니다.', 'The server refused the user name or password.');
    case 'ER_BAD_DB_ERROR':
      return failed(`서버에 ${database} 데이터베이스가 없습니다.`, `The server has no database named "${database}".`);
    case 'ER_DBACCESS_DENIED_ERROR':
      return failed(`이 사용자는 ${database} 데이터베이스를 쓸 수 없습니다.`, `This user may not use the database "${database}".`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return failed(`${where}에 닿을 수 없습니다 (네트워크).`, `${where} cannot be reached (network unreachable).`);
    default:
      return failed('연결하지 못했습니다.', `The connection failed: ${String(error.message ?? error).slice(0, 300)}`);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'TIMEOUT' }));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function testMysql(url: string, timeoutMs: number): Promise<{ server: string } | { error: Message }> {
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  } catch {
    return { error: failed('주소 형식이 올바르지 않습니다.', 'The address is not a valid URL.') };
  }
  let password = '';
  let user = 'root';
  let database = '';
  try {
    password = decodeURIComponent(parsed.password);
    user = decodeURIComponent(parsed.username || 'root');
    database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  } catch {
    return { error: failed('주소에 잘못된 % 문자가 있습니다.', 'The address has a malformed %-escape.') };
  }
  const port = parsed.port ? Number(parsed.port) : 3306;
  const where = `${parsed.hostname}:${port}`;
  const secrets = [password, parsed.password].filter(Boolean);
  const { createConnection } = await import('mysql2/promise');
  let connection: Awaited<ReturnType<typeof createConnection>> | undefined;
  let timedOut = false;
  try {
    return await withTimeout(
      (async () => {
        const opened = await createConnection({ host: parsed.hostname, port, user, password, database, connectTimeout: timeoutMs, dateStrings: true });
        if (timedOut) {
          // the answer was already given: close what came too late
          opened.destroy();
          throw Object.assign(new Error('late'), { code: 'TIMEOUT' });
        }
        connection = opened;
        await connection.query('SELECT 1 AS one');
        const [rows] = await connection.query('SELECT VERSION() AS version');
        const version = String((rows as Array<{ version: unknown }>)[0]?.version ?? '');
        return { server: /mariadb/i.test(version) ? `MariaDB ${version}` : `MySQL ${version}` };
      })(),
      timeoutMs + 500,
      () => {
        timedOut = true;
        connection?.destroy();
      },
    );
  } catch (error) {
    const problem = mysqlProblem(error as { code?: string; message?: string }, where, database, timeoutMs);
    return { error: { ko: scrubbed(problem.ko, secrets), en: scrubbed(problem.en, secrets) } };
  } finally {
    // destroyed already when it timed out; else a polite QUIT, bounded like the rest
    const open = connection as { end(): Promise<void>; destroy(): void } | undefined;
    if (open && !timedOut) await withTimeout(open.end(), 1000, () => open.destroy()).catch(() => open.destroy());
  }
}

async function testSqlite(url: string, timeoutMs: number): Promise<{ server: string } | { error: Message }> {
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  let db: import('better-sqlite3').Database | undefined;
  try {
    // Read-only and only an existing file: a test never creates a database or changes one.
    db = path === ':memory:' ? await openSqliteFile(':memory:') : await openSqliteFile(path, { readonly: true, fileMustExist: true, timeout: timeoutMs });
    db.prepare('SELECT 1 AS one').get();
    db.prepare('SELECT COUNT(*) AS n FROM sqlite_master').get();
    const row = db.prepare('SELECT sqlite_version() AS version').get() as { version: string };
    return { server: `SQLite ${row.version}` };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_CANTOPEN' || /unable to open|does not exist/i.test((error as Error).message)) {
      return { error: failed(`데이터베이스 파일이 없거나 열 수 없습니다: ${path}`, `There is no database file at ${path}, or it cannot be opened.`) };
    }
    if (code === 'SQLITE_NOTADB') return { error: failed(`SQLite 데이터베이스 파일이 아닙니다: ${path}`, `${path} is not an SQLite database file.`) };
    if (code === 'SQLITE_BUSY') return { error: failed('데이터베이스가 잠겨 있습니다.', `The database is locked (busy for more than ${timeoutMs / 1000} seconds).`) };
    return { error: failed('데이터베이스를 열지 못했습니다.', `The database could not be opened: ${String((error as Error).message).slice(0, 300)}`) };
  } finally {
    db?.close();
  }
}

/** Opens the database a PASS_DB_URL-style address names, runs SELECT 1 and closes it. */
export async function testDatabaseUrl(url: string, timeoutMs: number): Promise<ConnectionTest> {
  const started = Date.now();
  const outcome = url.startsWith('sqlite:') ? await testSqlite(url, timeoutMs) : await testMysql(url, timeoutMs);
  const elapsedMs = Date.now() - started;
  const target = redactUrl(url);
  return 'server' in outcome
    ? { ok: true, target, detail: outcome.server, elapsedMs, error: null }
    : { ok: false, target, detail: null, elapsedMs, error: outcome.error };
}

export async function testDatabase(ctx: HandlerContext, input: ParsedInputOf<'settings.testDatabase'>, timeoutMs: number): Promise<ConnectionTest> {
  const result = await testDatabaseUrl(input.url, timeoutMs);
  await ctx.audit({ action: 'settings.testDatabase', target: result.target.slice(0, 100), detail: { url: result.target, ok: result.ok, error: result.error ?? null } });
  return result;
}

// ---- the notifier test -----------------------------------------------------------------------

/** A webhook address as shown: no query string (relays put keys there). */
function shownUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
  } catch {
    return '(invalid address)';
  }
}

export async function testNotifier(ctx: HandlerContext): Promise<ConnectionTest> {
  // Exactly what the notification jobs' next run will use (main/pass/notify/fromEnv.ts).
  const saved = await readSavedSettings(ctx.db);
  const config = saved.notifier ?? defaultSettings(ctx.timeZone).notifier;
  const settings = resolveNotifierSettings(saved.notifier);
  const target = config.kind === 'webhook' ? shownUrl(config.url) : (config.path ?? join(dataDirectory(), 'notifications.log'));
  const started = Date.now();
  let result: ConnectionTest;
  try {
    // One send, not rate-limited: a person is waiting for the answer.
    await notifierFromSettings({ ...settings, ratePerSecond: undefined }).send({
      idempotencyKey: `TEST:${ctx.now.toISOString()}`,
      // Not a member notification: a relay can tell it apart by this event name.
      event: 'TEST' as NotificationEvent,
      userId: 'TEST',
      phone: null,
      text: '[Pass Console] 알림 설정 시험 메시지입니다. / This is a test message from Pass Console.',
    });
    result = { ok: true, target, detail: config.kind === 'webhook' ? 'webhook answered 2xx' : 'written to the log file', elapsedMs: Date.now() - started, error: null };
  } catch (error) {
    const reason = String((error as Error)?.message ?? error)
      .replace(config.kind === 'webhook' ? config.url : '\u0000', target)
      .slice(0, 300);
    result = {
      ok: false,
      target,
      detail: null,
      elapsedMs: Date.now() - started,
      error: { ko: `알림을 보내지 못했습니다: ${reason}`, en: `The test message was not delivered: ${reason}` },
    };
  }
  await ctx.audit({ action: 'settings.testNotifier', target: 'notifier', detail: { kind: config.kind, target, ok: result.ok, error: result.error ?? null } });
  return result;
}
