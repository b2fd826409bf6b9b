// 처음 시작하기: what a gym that started empty still has to set up before the desk can sell, book
// and tell members, read from the gym itself (never a stored checklist, so a step done on another
// desk, by an import or by hand shows done here too). The home screen of a manager or admin lists
// the steps while packages or members are missing (renderer/src/components/FirstSteps.tsx).
import { toDbTime } from '../batch/index.ts';
import { UserStatus } from '../pass/schema.ts';
import type { HandlerContext } from './context.ts';
import type { FirstStepsView } from './contract.ts';
import { defaultSettings, readSettings } from './settings.ts';
import { num, type Executor } from './tables.ts';

type Counted = { n: number | string | bigint };
const counted = (row: Counted | undefined) => num(row?.n ?? 0);

/** How far the gym is: what it sells, who it has, its classes ahead, its staff and whether members hear from it. */
export async function firstSteps(ctx: HandlerContext): Promise<FirstStepsView> {
  const db: Executor = ctx.db;
  const now = toDbTime(ctx.now);
  const staff = await db
    .selectFrom('staff_account')
    .select((eb) => ['role', eb.fn.countAll<number>().as('n')])
    .where('active', '=', 1)
    .groupBy('role')
    .execute();
  const ofRoles = (...roles: string[]) => staff.filter((r) => roles.includes(r.role)).reduce((sum, r) => sum + num(r.n), 0);
  const settings = await readSettings(db, defaultSettings(ctx.timeZone));
  return {
    packagesOnSale: counted(await db.selectFrom('package').select((eb) => eb.fn.countAll<number>().as('n')).where('retired_at', 'is', null).executeTakeFirst()),
    members: counted(await db.selectFrom('user').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', UserStatus.ACTIVE).executeTakeFirst()),
    upcomingClasses: counted(
      await db.selectFrom('gym_class').select((eb) => eb.fn.countAll<number>().as('n')).where('cancelled_at', 'is', null).where('ended_at', '>', now).executeTakeFirst(),
    ),
    staffAccounts: ofRoles('FRONT_DESK', 'MANAGER'),
    kioskAccounts: ofRoles('KIOSK'),
    membersHearFromGym: settings.notifier.kind === 'webhook',
  };
}
