// 처음 시작하기: what a gym that started empty still has to set up before the desk can sell, book
// and tell members, read from the gym itself (never a stored checklist, so a step done on another
// desk, by an import or by hand shows done here too). The home screen of a manager or admin lists
// the steps while packages or members are missing (renderer/src/components/FirstSteps.tsx).
// Every home visit asks, so an established gym (a package on sale and an active member) is found
// out first by two look-ups that stop at the first row, and then its packages, members and classes
// are not counted (each reads 1 if there is any): on a gym of many members a full count of them on
// each visit bought nothing, the list being hidden. Staff accounts are few and still counted.
import type { SelectQueryBuilder } from 'kysely';
import { toDbTime } from '../batch/index.ts';
import { UserStatus } from '../pass/schema.ts';
import type { HandlerContext } from './context.ts';
import type { FirstStepsView } from './contract.ts';
import { defaultSettings, readSettings } from './settings.ts';
import { num, type Executor, type ServiceTables } from './tables.ts';

type Counted = { n: number | string | bigint };
const counted = (row: Counted | undefined) => num(row?.n ?? 0);

/** How far the gym is: what it sells, who it has, its classes ahead, its staff and whether members hear from it. */
export async function firstSteps(ctx: HandlerContext): Promise<FirstStepsView> {
  const db: Executor = ctx.db;
  const now = toDbTime(ctx.now);
  const packagesOnSale = db.selectFrom('package').where('retired_at', 'is', null);
  const activeMembers = db.selectFrom('user').where('status', '=', UserStatus.ACTIVE);
  const upcomingClasses = db.selectFrom('gym_class').where('cancelled_at', 'is', null).where('ended_at', '>', now);
  /** 1 when the query finds a row (it reads one at most), else 0 */
  const any = async <T extends keyof ServiceTables>(query: SelectQueryBuilder<ServiceTables, T, object>) =>
    (await query.select((eb) => eb.lit(1).as('one')).limit(1).executeTakeFirst()) === undefined ? 0 : 1;
  const count = async <T extends keyof ServiceTables>(query: SelectQueryBuilder<ServiceTables, T, object>) =>
    counted(await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());

  const somePackage = await any(packagesOnSale);
  const someMember = await any(activeMembers);
  const listNeeded = somePackage === 0 || someMember === 0;
  const staff = await db
    .selectFrom('staff_account')
    .select((eb) => ['role', eb.fn.countAll<number>().as('n')])
    .where('active', '=', 1)
    .groupBy('role')
    .execute();
  const ofRoles = (...roles: string[]) => staff.filter((r) => roles.includes(r.role)).reduce((sum, r) => sum + num(r.n), 0);
  const settings = await readSettings(db, defaultSettings(ctx.timeZone));
  return {
    listNeeded,
    // counted only while the list shows (and what is missing is 0 without counting)
    packagesOnSale: listNeeded && somePackage ? await count(packagesOnSale) : somePackage,
    members: listNeeded && someMember ? await count(activeMembers) : someMember,
    upcomingClasses: listNeeded ? await count(upcomingClasses) : await any(upcomingClasses),
    staffAccounts: ofRoles('FRONT_DESK', 'MANAGER'),
    kioskAccounts: ofRoles('KIOSK'),
    membersHearFromGym: settings.notifier.kind === 'webhook',
  };
}
