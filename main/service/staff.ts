// Staff accounts and their sessions. A session token is 32 random bytes handed to the client
// once; the database keeps only its SHA-256. The role is read from the account on every call,
// so a role change or a disabled account takes effect at once, not at the next sign-in.
import { createHash, randomBytes } from 'node:crypto';
import { forUpdate, fromDbTime, isDuplicateKeyError, toDbTime, type Dialect } from '../batch/index.ts';
import type { Role, StaffView } from './contract.ts';
import { conflict, invalid, notFound, ServiceError } from './errors.ts';
import { decoyHash, generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { lockedNames, lockedUntil, userKey } from './signIn.ts';
import type { Executor, ServiceDb, StaffAccountTable } from './tables.ts';

/** Who is calling: what a transport holds after sign-in and passes with every call. */
export interface Session {
  username: string;
  role: Role;
  /** the raw token, so logout can end exactly this session */
  token: string;
  expiresAt: Date;
  /** the account's password was generated or set by an admin: the screens ask for a new one first */
  mustChangePassword?: boolean;
}

export const ADMIN_USERNAME = 'admin';
export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** A check-in kiosk's session: 30 days. */
export const KIOSK_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export function staffView(row: Pick<StaffAccountTable, 'username' | 'role' | 'active' | 'created_at' | 'last_login_at'> & { must_change_password: unknown }, locked: Date | null = null): StaffView {
  return {
    lockedUntil: locked?.toISOString() ?? null,
    username: row.username,
    role: row.role,
    active: Number(row.active) === 1,
    createdAt: fromDbTime(row.created_at).toISOString(),
    lastLoginAt: fromDbTime(row.last_login_at)?.toISOString() ?? null,
    mustChangePassword: Number(row.must_change_password) === 1,
  };
}

/**
 * The minimum rules (passwords.ts) for every way a password is set: refused as VALIDATION on
 * `field`, naming the rule it broke, before anything is written.
 */
export function assertPasswordRules(password: string, username: string, field = 'password'): void {
  const problem = passwordProblem(password, username);
  // The message is the rule alone (people read it under the field); `field` names the input for scripts.
  if (problem) throw new ServiceError('VALIDATION', problem, field);
}

export interface AdminBootstrap {
  /** false: an admin account existed already and nothing was changed */
  created: boolean;
  username: string;
  /** set only when the password was generated here: print it once, it is stored nowhere */
  generatedPassword?: string;
  /** the desktop's first run: no account exists, and setup.createAdmin will make `admin` */
  awaitingSetup?: boolean;
}

/**
 * First run: when no account exists, create `admin` with the given password, else
 * PASS_ADMIN_PASSWORD, else a generated one returned for the caller to show once.
 */
export async function ensureAdminAccount(db: ServiceDb, options: { password?: string; now?: Date } = {}): Promise<AdminBootstrap> {
  const any = await db.selectFrom('staff_account').select('username').limit(1).executeTakeFirst();
  if (any) return { created: false, username: ADMIN_USERNAME };
  const given = options.password ?? process.env.PASS_ADMIN_PASSWORD ?? undefined;
  const problem = given === undefined ? null : passwordProblem(given, ADMIN_USERNAME);
  if (problem) {
    throw new ServiceError('VALIDATION', { ko: `관리자 비밀번호 (PASS_ADMIN_PASSWORD): ${problem.ko}`, en: `The admin password (PASS_ADMIN_PASSWORD): ${problem.en}` }, 'password');
  }
  const password = given ?? generatePassword();
  try {
    await db
      .insertInto('staff_account')
      .values({
        username: ADMIN_USERNAME,
        password_hash: await hashPassword(password),
        role: 'ADMIN',
        active: 1,
        created_at: toDbTime(options.now ?? new Date()),
        created_by: 'system',
        modified_at: null,
        last_login_at: null,
        // A generated password was printed on a console: its owner is asked to choose their own.
        must_change_password: given === undefined ? 1 : 0,
      })
      .execute();
  } catch (error) {
    // Another process made it first.
    if (isDuplicateKeyError(error)) return { created: false, username: ADMIN_USERNAME };
    throw error;
  }
  return given === undefined ? { created: true, username: ADMIN_USERNAME, generatedPassword: password } : { created: true, username: ADMIN_USERNAME };
}

export const LOGIN_FAILED = new ServiceError('LOGIN_FAILED', {
  ko: '아이디 또는 비밀번호가 올바르지 않습니다.',
  en: 'Wrong username or password.',
});

export async function login(db: ServiceDb, username: string, password: string, now: Date, ttlMs: number): Promise<Session> {
  const found = await db.selectFrom('staff_account').selectAll().where('username', '=', username).executeTakeFirst();
  // Exactly this name: MySQL's collation would also match 'Victim' or 'victim ' to 'victim'.
  const account = found?.username === username ? found : undefined;
  // Hash even for an unknown name, so the answer's timing does not reveal which names exist.
  const ok = await verifyPassword(password, account?.password_hash ?? (await decoyHash()));
  if (!account || !ok || Number(account.active) !== 1) throw LOGIN_FAILED;
  // A kiosk is signed in once by an admin and left standing: its session lasts a month, and its
  // account can do nothing but check members in.
  return db.transaction().execute((tx) => openSession(tx, account, now, account.role === 'KIOSK' ? Math.max(ttlMs, KIOSK_SESSION_TTL_MS) : ttlMs));
}

/** A new session for an account that has just proved who it is; call it inside a transaction. */
async function openSession(tx: Executor, account: { username: string; role: Role; must_change_password?: unknown }, now: Date, ttlMs: number): Promise<Session> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlMs);
  await tx.deleteFrom('staff_session').where('expires_at', '<', toDbTime(now)).execute();
  await tx
    .insertInto('staff_session')
    .values({ token_hash: tokenHash(token), username: account.username, created_at: toDbTime(now), expires_at: toDbTime(expiresAt) })
    .execute();
  await tx.updateTable('staff_account').set({ last_login_at: toDbTime(now) }).where('username', '=', account.username).execute();
  return { username: account.username, role: account.role, token, expiresAt, mustChangePassword: Number(account.must_change_password ?? 0) === 1 };
}

/** First run: true while no staff account exists at all. */
export async function needsAdmin(db: Executor): Promise<boolean> {
  const any = await db.selectFrom('staff_account').select('username').limit(1).executeTakeFirst();
  return any === undefined;
}

const SETUP_DONE = () =>
  conflict({
    ko: '관리자 계정이 이미 있습니다. 관리자에게 계정을 받아 로그인하세요.',
    en: 'The console already has staff accounts; sign in, or ask an admin for an account.',
  });

/**
 * setup.createAdmin: `admin` with the password chosen at the desk, signed in at once, in one
 * transaction with its activity-log row, after `before` (the demo gym, when chosen: a refusal or
 * failure there makes no account). Refused while any account exists. Race-free through
 * the database: two calls at once both insert `admin`, and the primary key on username lets
 * exactly one commit; the other gets a duplicate key, answered CONFLICT like the check before it.
 */
export async function createFirstAdmin(
  db: ServiceDb,
  password: string,
  now: Date,
  ttlMs: number,
  audit: (tx: Executor) => Promise<void>,
  before?: () => Promise<void>,
): Promise<Session> {
  assertPasswordRules(password, ADMIN_USERNAME);
  if (!(await needsAdmin(db))) throw SETUP_DONE();
  // scrypt before the transaction: nothing is held open while it hashes.
  const hash = await hashPassword(password);
  // the first run's choice of gym (setup.ts), once the password is known to be good
  await before?.();
  try {
    return await db.transaction().execute(async (tx) => {
      if (!(await needsAdmin(tx))) throw SETUP_DONE();
      await tx
        .insertInto('staff_account')
        .values({
          username: ADMIN_USERNAME,
          password_hash: hash,
          role: 'ADMIN',
          active: 1,
          created_at: toDbTime(now),
          created_by: 'setup',
          modified_at: null,
          last_login_at: null,
        })
        .execute();
      await audit(tx);
      return openSession(tx, { username: ADMIN_USERNAME, role: 'ADMIN' }, now, ttlMs);
    });
  } catch (error) {
    if (isDuplicateKeyError(error)) throw SETUP_DONE();
    throw error;
  }
}

export const UNAUTHENTICATED = new ServiceError('UNAUTHENTICATED', {
  ko: '로그인이 필요합니다. 다시 로그인하세요.',
  en: 'Sign in first (the session is missing, expired or ended).',
});

/** The session a token names, with the account's current role; null when unknown, expired or disabled. */
export async function authenticate(db: ServiceDb, token: string, now: Date): Promise<Session | null> {
  if (!token || token.length > 200) return null;
  const row = await db
    .selectFrom('staff_session as s')
    .innerJoin('staff_account as a', 'a.username', 's.username')
    .select(['s.username', 's.expires_at', 'a.role', 'a.active', 'a.must_change_password'])
    .where('s.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || Number(row.active) !== 1) return null;
  const expiresAt = fromDbTime(row.expires_at);
  if (expiresAt <= now) return null;
  return { username: row.username, role: row.role, token, expiresAt, mustChangePassword: Number(row.must_change_password) === 1 };
}

export async function logout(db: Executor, token: string): Promise<void> {
  await db.deleteFrom('staff_session').where('token_hash', '=', tokenHash(token)).execute();
}

export async function endSessionsOf(db: Executor, username: string): Promise<void> {
  await db.deleteFrom('staff_session').where('username', '=', username).execute();
}

export async function listStaff(db: Executor, now: Date = new Date()): Promise<StaffView[]> {
  const rows = await db.selectFrom('staff_account').selectAll().orderBy('username').execute();
  const locks = await lockedNames(db, now);
  return rows.map((row) => staffView(row, locks.get(row.username) ?? null));
}

export async function getStaff(db: Executor, username: string, now: Date = new Date()): Promise<StaffView> {
  const row = await db.selectFrom('staff_account').selectAll().where('username', '=', username).executeTakeFirst();
  if (!row) throw notFound({ ko: `직원 계정 ${username}`, en: `Staff account ${username}` });
  return staffView(row, await lockedUntil(db, userKey(row.username), now));
}

export async function createStaff(db: Executor, input: { username: string; password: string; role: Role }, by: string, now: Date): Promise<StaffView> {
  assertPasswordRules(input.password, input.username);
  const hash = await hashPassword(input.password);
  try {
    await db
      .insertInto('staff_account')
      .values({
        username: input.username,
        password_hash: hash,
        role: input.role,
        active: 1,
        created_at: toDbTime(now),
        created_by: by,
        modified_at: null,
        last_login_at: null,
      })
      .execute();
  } catch (error) {
    if (isDuplicateKeyError(error)) {
      throw conflict({ ko: `${input.username} 계정이 이미 있습니다.`, en: `There is already an account named ${input.username}.` });
    }
    throw error;
  }
  return getStaff(db, input.username);
}

/**
 * The last active admin cannot be disabled or demoted: nobody could then manage staff.
 * Case-insensitive MySQL collations make usernames compare case-insensitively there.
 */
export async function assertAnotherAdmin(db: Executor, username: string, dialect: Dialect): Promise<void> {
  // The active admins, locked for this transaction (MySQL): two admins disabling each other at
  // once take turns, and the second sees the first's change (a plain read in REPEATABLE READ
  // would see neither, and both would go through). SQLite runs one writer at a time.
  const admins = await forUpdate(dialect, db.selectFrom('staff_account').select('username').where('role', '=', 'ADMIN').where('active', '=', 1)).execute();
  if (!admins.some((admin) => admin.username !== username)) {
    throw conflict({
      ko: '마지막 관리자 계정은 사용 중지하거나 권한을 낮출 수 없습니다.',
      en: 'The last active admin account cannot be disabled or lose its role.',
    });
  }
}

export async function updateStaff(
  db: Executor,
  username: string,
  values: Partial<{ password_hash: string; role: Role; active: 0 | 1; must_change_password: 0 | 1 }>,
  now: Date,
): Promise<StaffView> {
  const result = await db
    .updateTable('staff_account')
    .set({ ...values, modified_at: toDbTime(now) })
    .where('username', '=', username)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound({ ko: `직원 계정 ${username}`, en: `Staff account ${username}` });
  return getStaff(db, username);
}

const WRONG_CURRENT = new ServiceError(
  'VALIDATION',
  { ko: '지금 비밀번호가 맞지 않습니다. 비밀번호는 바뀌지 않았습니다.', en: 'That is not your current password; the password was not changed.' },
  'current',
);

/**
 * session.changePassword: the signed-in person's own password, after proving the current one.
 * Clears must_change_password, and ends every other session of the account (the one asking
 * stays signed in). Nothing is written when the current password is wrong or the new one breaks
 * a rule.
 */
export async function changeOwnPassword(
  db: ServiceDb,
  session: Session,
  input: { current: string; next: string },
  now: Date,
  audit: (tx: Executor) => Promise<void>,
): Promise<void> {
  const account = await db.selectFrom('staff_account').select(['password_hash', 'active']).where('username', '=', session.username).executeTakeFirst();
  if (!account || Number(account.active) !== 1) throw UNAUTHENTICATED;
  if (!(await verifyPassword(input.current, account.password_hash))) throw WRONG_CURRENT;
  assertPasswordRules(input.next, session.username, 'next');
  if (input.next.normalize('NFC') === input.current.normalize('NFC')) {
    throw invalid('next', { ko: '새 비밀번호가 지금 비밀번호와 같습니다.', en: 'The new password is the same as the current one.' });
  }
  const hash = await hashPassword(input.next);
  await db.transaction().execute(async (tx) => {
    const changed = await tx
      .updateTable('staff_account')
      .set({ password_hash: hash, must_change_password: 0, modified_at: toDbTime(now) })
      .where('username', '=', session.username)
      // the hash read above: a change made meanwhile (an admin's) is not silently overwritten
      .where('password_hash', '=', account.password_hash)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) throw WRONG_CURRENT;
    await tx
      .deleteFrom('staff_session')
      .where('username', '=', session.username)
      .where('token_hash', '<>', tokenHash(session.token))
      .execute();
    await audit(tx);
  });
}
