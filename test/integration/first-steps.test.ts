// 처음 시작하기 (setup.firstSteps), on both databases: a gym that started empty reads nothing set up,
// and each step shows done as the gym does it, by whatever way it was done (a package made, a
// member added, a class ahead, a staff and a kiosk account, a relay for members' messages); what
// is off sale, deactivated, cancelled, over or disabled does not count; once the gym has a package
// on sale and a member it says the list is not needed and counts none of them past 1 (each home
// visit asks); the front desk may not ask.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { JobOperator, migrateToLatest, toDbTime } from '../../main/batch/index.ts';
import { passJobs } from '../../main/pass/jobs/index.ts';
import type { Session } from '../../main/service/staff.ts';
import { createService, type Service } from '../../main/service/service.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { refused, serviceMigrations } from '../support/serviceHarness.ts';

const HOUR = 3_600_000;
const NOTHING = { listNeeded: true, packagesOnSale: 0, members: 0, upcomingClasses: 0, staffAccounts: 0, kioskAccounts: 0, membersHearFromGym: false };

describeEachBackend('first steps of a gym that started empty', (backend) => {
  let database: TestDatabase;
  let operator: JobOperator;
  let service: Service;
  let admin: Session;

  beforeEach(async () => {
    database = await freshDatabase(backend, { migrate: false });
    await migrateToLatest(database.db, serviceMigrations);
    operator = new JobOperator({ database: database.db, jobs: passJobs, timeZone: 'Asia/Seoul' });
    service = createService({ db: database.db, operator });
    const info = await service.call(null, 'setup.createAdmin', { password: 'chosen-at-the-desk-1', gym: 'empty' });
    admin = (await service.authenticate(info.token))!;
  });
  afterEach(async () => {
    await operator?.close();
    await database?.dispose();
  });

  const steps = () => service.call(admin, 'setup.firstSteps', {});
  const at = (hoursFromNow: number) => new Date(Date.now() + hoursFromNow * HOUR).toISOString();

  it('an empty gym has nothing set up, and each step reads done once the gym has done it', async () => {
    expect(await steps()).toEqual(NOTHING);

    const pt = await service.call(admin, 'packages.create', { packageName: 'PT 10회', count: 10, period: 60 });
    expect(await steps()).toEqual({ ...NOTHING, packagesOnSale: 1 });
    await service.call(admin, 'members.create', { userName: '김하나' });
    expect(await steps()).toMatchObject({ packagesOnSale: 1, members: 1 });
    await service.call(admin, 'classes.create', { title: '아침 요가', startedAt: at(24), endedAt: at(25), capacity: 10, packageSeqs: [pt.packageSeq] });
    await service.call(admin, 'staff.create', { username: 'desk.kim', password: 'desk-password-1', role: 'FRONT_DESK' });
    await service.call(admin, 'staff.create', { username: 'kiosk.front', password: 'kiosk-password-1', role: 'KIOSK' });
    await service.call(admin, 'settings.update', { notifier: { kind: 'webhook', url: 'https://relay.example.com/pass-console' } });
    expect(await steps()).toEqual({ listNeeded: false, packagesOnSale: 1, members: 1, upcomingClasses: 1, staffAccounts: 1, kioskAccounts: 1, membersHearFromGym: true });

    // a manager reads the same
    await service.call(admin, 'staff.create', { username: 'manager.lee', password: 'manager-password-1', role: 'MANAGER' });
    const signedIn = await service.call(null, 'session.login', { username: 'manager.lee', password: 'manager-password-1' });
    expect(await service.call((await service.authenticate(signedIn.token))!, 'setup.firstSteps', {})).toMatchObject({ staffAccounts: 2 });
  });

  it('a package off sale, a member deactivated, a class cancelled or over and a disabled account are not counted (one package on sale is), and the log file is not a way members hear', async () => {
    const pt = await service.call(admin, 'packages.create', { packageName: 'PT 10회', count: 10, period: 60 });
    await service.call(admin, 'packages.retire', { packageSeq: pt.packageSeq });
    const member = await service.call(admin, 'members.create', { userName: '김하나' });
    await service.call(admin, 'members.deactivate', { userId: member.detail.member.userId });
    const yoga = await service.call(admin, 'packages.create', { packageName: '요가 8회', count: 8, period: 30 });
    const [cancelled] = await service.call(admin, 'classes.create', { title: '취소된 수업', startedAt: at(24), endedAt: at(25), capacity: 10, packageSeqs: [yoga.packageSeq] });
    await service.call(admin, 'classes.cancel', { classSeq: cancelled!.classSeq });
    const [over] = await service.call(admin, 'classes.create', { title: '끝난 수업', startedAt: at(26), endedAt: at(27), capacity: 10, packageSeqs: [yoga.packageSeq] });
    const past = (hours: number) => toDbTime(new Date(Date.now() + hours * HOUR));
    await database.db.kysely.updateTable('gym_class').set({ started_at: past(-3), ended_at: past(-2) }).where('class_seq', '=', over!.classSeq).execute();
    await service.call(admin, 'staff.create', { username: 'desk.kim', password: 'desk-password-1', role: 'FRONT_DESK' });
    await service.call(admin, 'staff.disable', { username: 'desk.kim' });
    await service.call(admin, 'settings.update', { notifier: { kind: 'logFile' } });
    expect(await steps()).toEqual({ ...NOTHING, packagesOnSale: 1 });
  });

  it('a gym with packages on sale and members says the list is not needed and counts neither them nor its classes past 1; while one of the two is missing, the other is counted in full', async () => {
    const packages = [];
    for (const name of ['PT 10회', 'PT 20회', '요가 8회']) packages.push(await service.call(admin, 'packages.create', { packageName: name, count: 8, period: 30 }));
    for (const hours of [24, 48]) {
      await service.call(admin, 'classes.create', { title: `수업 ${hours}`, startedAt: at(hours), endedAt: at(hours + 1), capacity: 10, packageSeqs: [packages[0]!.packageSeq] });
    }
    // no member yet: the list shows, with whole counts
    expect(await steps()).toEqual({ ...NOTHING, packagesOnSale: 3, upcomingClasses: 2 });

    for (const name of ['김하나', '이둘', '박셋']) await service.call(admin, 'members.create', { userName: name });
    expect(await steps()).toEqual({ ...NOTHING, listNeeded: false, packagesOnSale: 1, members: 1, upcomingClasses: 1 });

    // every package off sale: the list is needed again, and the members are counted in full
    for (const p of packages) await service.call(admin, 'packages.retire', { packageSeq: p.packageSeq });
    expect(await steps()).toEqual({ ...NOTHING, members: 3, upcomingClasses: 2 });
  });

  it('the front desk may not ask (a manager’s and admin’s list)', async () => {
    await service.call(admin, 'staff.create', { username: 'desk.kim', password: 'desk-password-1', role: 'FRONT_DESK' });
    const signedIn = await service.call(null, 'session.login', { username: 'desk.kim', password: 'desk-password-1' });
    const desk = (await service.authenticate(signedIn.token))!;
    expect((await refused(service.call(desk, 'setup.firstSteps', {}))).code).toBe('FORBIDDEN');
  });
});
