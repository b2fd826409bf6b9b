// The desktop's first run (setup.status, setup.createAdmin): besides the admin's password, how the
// gym starts. 'empty' (the default) is a gym for real use: nothing is added, and managers make the
// packages on the Packages screen, the desk the members. 'demo' adds the demo gym (about 2,000
// sample members with passes, bookings, a bulk grant and notifications) to try the console with;
// it is written by a worker thread (main/pass/demo/demoGymThread.ts), before the account is
// made, in one transaction. Nothing takes the demo gym out again: its members are ordinary
// members, so the way back to an empty gym is a new database file.
import type { DemoGymOutcome } from '../pass/demo/demoGymThread.ts';
import { invalid, ServiceError } from './errors.ts';
import type { Executor } from './tables.ts';

export type FirstGym = 'empty' | 'demo';

/** Adds the demo gym to the service's database as of `now` (default: on a worker thread). */
export type AddDemoGym = (now: Date) => Promise<DemoGymOutcome>;

/** Whether the database already holds members, packages or passes (then the demo gym can't be added). */
export async function gymHasData(db: Executor): Promise<boolean> {
  for (const table of ['user', 'package', 'pass'] as const) {
    if (await db.selectFrom(table).select((eb) => eb.lit(1).as('one')).limit(1).executeTakeFirst()) return true;
  }
  return false;
}

const HAS_DATA = () =>
  invalid('gym', {
    ko: '이 데이터베이스에는 이미 회원, 패키지나 이용권이 있어서 데모 체육관을 넣을 수 없습니다. 있는 그대로 시작하세요.',
    en: 'This database already has members, packages or passes, so the demo gym can’t be added to it. Start with the gym as it is.',
  });

export const DEMO_GYM_FAILED = new ServiceError('UNAVAILABLE', {
  ko: '데모 체육관을 넣지 못했습니다. 아무것도 추가되지 않았고 관리자 계정도 만들지 않았습니다. 다시 시도하거나 빈 체육관으로 시작하세요.',
  en: 'The demo gym could not be added. Nothing was added and no admin account was made; try again, or start an empty gym.',
});

/**
 * The demo gym, for setup.createAdmin's `gym: 'demo'`, before the admin account is made: refused
 * (VALIDATION on `gym`) on a database that has gym data; a failure to write it answers
 * DEMO_GYM_FAILED, with nothing written (one transaction), the cause going to `logError`.
 */
export async function addDemoGym(db: Executor, add: AddDemoGym, now: Date, logError: (error: unknown) => void): Promise<void> {
  if (await gymHasData(db)) throw HAS_DATA();
  let outcome: DemoGymOutcome;
  try {
    outcome = await add(now);
  } catch (error) {
    logError(error);
    throw DEMO_GYM_FAILED;
  }
  if ('refused' in outcome) throw HAS_DATA();
}
