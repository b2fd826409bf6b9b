// Issue 17, items 1, 2, 3 and 7, on both databases: sign-in can't be out-guessed. Guesses sent
// at once are tested at most up to the limit; another spelling of a name is no name; the count
// is kept in the database, so a second desk shares it; locks grow; an admin unlocks; and two
// admins disabling each other at once always leave one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../main/service/service.ts';
import { ServiceError } from '../../main/service/errors.ts';
import { ADDRESS_LIMIT, FIRST_LOCK_MS, lockLength, normalizeUsername, USER_LIMIT } from '../../main/service/signIn.ts';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const PASSWORD = 'victim-password-1';
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error: unknown) => (error instanceof ServiceError ? error.code : String(error)),
  );

describe('normalizeUsername', () => {
  it('keeps one spelling: NFC, trimmed, lower case, and nothing outside a-z 0-9 . _ -', () => {
    expect(normalizeUsername('  Victim ')).toBe('victim');
    expect(normalizeUsername('desk.kim_2-b')).toBe('desk.kim_2-b');
    for (const other of ['víctim', 'vîctim', 'vi ctim', 'victim\u200b', 'victim\u0000', 'ｖｉｃｔｉｍ', '']) expect(normalizeUsername(other)).toBeNull();
  });
});

describeEachBackend('sign-in', (backend) => {
  let h: ServiceHarness;
  let clock = new Date('2026-12-06T01:00:00Z');
  let service: Service;
  /** a second desk: another service over the same database */
  let otherDesk: Service;
  const login = (username: string, password: string, address?: string, on: Service = service) => codeOf(on.call(null, 'session.login', { username, password }, { address }));
  let counter = 0;
  const newAccount = async (role: 'FRONT_DESK' | 'ADMIN' = 'FRONT_DESK') => {
    const username = `victim${++counter}`;
    await h.service.call(h.sessions.ADMIN, 'staff.create', { username, password: PASSWORD, role });
    return username;
  };

  beforeAll(async () => {
    h = await serviceHarness(backend);
    service = createService(h.runtime, { now: () => clock });
    otherDesk = createService(h.runtime, { now: () => clock });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it(`tests at most ${USER_LIMIT} of 40 wrong passwords sent at once; the rest are refused before any is hashed`, async () => {
    const name = await newAccount();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(name, `wrong-password-${i}`)));
    expect(answers.filter((a) => a === 'LOGIN_FAILED')).toHaveLength(USER_LIMIT);
    expect(answers.filter((a) => a === 'TOO_MANY_REQUESTS')).toHaveLength(40 - USER_LIMIT);
    // locked: even the right password waits
    expect(await login(name, PASSWORD)).toBe('TOO_MANY_REQUESTS');
  });

  it('other spellings of a locked name get no guesses of their own, and none of them signs in as it', async () => {
    const name = await newAccount();
    for (let i = 0; i < USER_LIMIT; i++) expect(await login(name, 'wrong-password-x')).toBe('LOGIN_FAILED');
    for (const other of [`${name} `, name.toUpperCase(), ` ${name.toUpperCase()}  `]) expect(await login(other, 'wrong-password-y')).toBe('TOO_MANY_REQUESTS');
    for (const other of [name.replace('i', 'í'), name.replace('i', 'î'), `${name.replace('i', 'í')}  `, `${name}\u200b`]) expect(await login(other, PASSWORD)).toBe('LOGIN_FAILED');
  });

  it('a second desk on the same database shares the count', async () => {
    const name = await newAccount();
    for (let i = 0; i < USER_LIMIT; i++) expect(await login(name, 'wrong-password-x', undefined, i % 2 ? service : otherDesk)).toBe('LOGIN_FAILED');
    expect(await login(name, PASSWORD, undefined, otherDesk)).toBe('TOO_MANY_REQUESTS');
  });

  it('each lock lasts twice the one before; a sign-in that succeeds forgives the name', async () => {
    const name = await newAccount();
    const fail = async () => {
      for (let i = 0; i < USER_LIMIT; i++) expect(await login(name, 'wrong-password-x')).toBe('LOGIN_FAILED');
    };
    await fail();
    expect(lockLength(0)).toBe(FIRST_LOCK_MS);
    clock = new Date(clock.getTime() + FIRST_LOCK_MS - 1000);
    expect(await login(name, PASSWORD)).toBe('TOO_MANY_REQUESTS');
    clock = new Date(clock.getTime() + 2000);
    await fail();
    // the second lock: two minutes
    clock = new Date(clock.getTime() + 2 * FIRST_LOCK_MS - 1000);
    expect(await login(name, PASSWORD)).toBe('TOO_MANY_REQUESTS');
    clock = new Date(clock.getTime() + 2000);
    expect(await login(name, PASSWORD)).toBe('OK');
    // forgiven: the next failures start a first lock again
    await fail();
    clock = new Date(clock.getTime() + FIRST_LOCK_MS + 1000);
    expect(await login(name, PASSWORD)).toBe('OK');
  });

  it('an admin sees the lock on the staff list and unlocks it (audited); only an admin may', async () => {
    const name = await newAccount();
    for (let i = 0; i < USER_LIMIT; i++) await login(name, 'wrong-password-x');
    const listed = (await service.call(h.sessions.ADMIN, 'staff.list', {})).find((s) => s.username === name)!;
    expect(listed.lockedUntil).toBe(new Date(clock.getTime() + FIRST_LOCK_MS).toISOString());
    expect(await codeOf(service.call(h.sessions.MANAGER, 'staff.unlock', { username: name }))).toBe('FORBIDDEN');
    const unlocked = await service.call(h.sessions.ADMIN, 'staff.unlock', { username: name });
    expect(unlocked.lockedUntil).toBeNull();
    expect(await login(name, PASSWORD)).toBe('OK');
    const audit = await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'staff.unlock' });
    expect(audit.items.some((e) => e.target === `staff:${name}`)).toBe(true);
    expect(await codeOf(service.call(h.sessions.ADMIN, 'staff.unlock', { username: 'nobody.here' }))).toBe('NOT_FOUND');
  });

  it(`one address guessing many names is refused after ${ADDRESS_LIMIT} failures, other addresses are not`, async () => {
    const name = await newAccount();
    for (let i = 0; i < ADDRESS_LIMIT; i++) expect(await login(`nobody${i}`, 'wrong-password-x', '203.0.113.9')).toBe('LOGIN_FAILED');
    expect(await login(name, PASSWORD, '203.0.113.9')).toBe('TOO_MANY_REQUESTS');
    expect(await login(name, PASSWORD, '203.0.113.10')).toBe('OK');
  });

  it('usernames are stored in their one spelling: an account made as " New.Desk " is new.desk', async () => {
    const made = await service.call(h.sessions.ADMIN, 'staff.create', { username: ' New.Desk ', password: PASSWORD, role: 'FRONT_DESK' });
    expect(made.username).toBe('new.desk');
    expect(await login('NEW.DESK', PASSWORD)).toBe('OK');
    expect(await codeOf(service.call(h.sessions.ADMIN, 'staff.create', { username: 'néw.desk', password: PASSWORD, role: 'FRONT_DESK' }))).toBe('VALIDATION');
  });

  it('two admins disabling each other at once always leave one admin (20 races)', async () => {
    for (let round = 0; round < 20; round++) {
      const a = await newAccount('ADMIN');
      const b = await newAccount('ADMIN');
      // only these two are active admins
      for (const staff of await service.call(h.sessions.ADMIN, 'staff.list', {})) {
        if (staff.role === 'ADMIN' && staff.active && staff.username !== a && staff.username !== b && staff.username !== h.sessions.ADMIN.username) {
          await service.call(h.sessions.ADMIN, 'staff.disable', { username: staff.username });
        }
      }
      const sessionA = await service.authenticate((await service.call(null, 'session.login', { username: a, password: PASSWORD })).token);
      const sessionB = await service.authenticate((await service.call(null, 'session.login', { username: b, password: PASSWORD })).token);
      // the harness's admin steps aside for the race, through a and b
      await service.call(sessionA!, 'staff.disable', { username: h.sessions.ADMIN.username });
      const answers = await Promise.all([codeOf(service.call(sessionA!, 'staff.disable', { username: b })), codeOf(otherDesk.call(sessionB!, 'staff.disable', { username: a }))]);
      const active = (await service.call(sessionA!, 'staff.list', {}).catch(() => service.call(sessionB!, 'staff.list', {}))).filter((s) => s.role === 'ADMIN' && s.active);
      expect(active.length, `round ${round}: ${answers.join(', ')}`).toBeGreaterThanOrEqual(1);
      expect(answers.filter((x) => x === 'OK').length).toBeLessThanOrEqual(1);
      // the harness's admin back, the two out of the way
      const survivor = active[0]!.username === a ? sessionA! : sessionB!;
      await service.call(survivor, 'staff.enable', { username: h.sessions.ADMIN.username });
      for (const name of [a, b]) await h.service.call(h.sessions.ADMIN, 'staff.disable', { username: name }).catch(() => undefined);
    }
  });
});
