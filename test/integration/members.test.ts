// Issue 18, slice 1 in the service, on both databases: the desk creates, edits, deactivates and
// reactivates members and puts them in groups and takes them out; a phone is stored in one
// spelling whichever the desk typed, and a phone already someone's is a warning, not a refusal;
// new ids follow the seed's; every change has its activity-log row in the same transaction.
import { sql } from 'kysely';
import { toDbTime } from '../../main/batch/index.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('members at the desk', (backend) => {
  let h: ServiceHarness;
  const desk = () => h.sessions.FRONT_DESK;
  const phoneOf = async (userId: string) => (await h.database.db.kysely.selectFrom('user').select('phone').where('user_id', '=', userId).executeTakeFirstOrThrow()).phone as string | null;
  const auditOf = async (action: string) => (await h.service.call(h.sessions.ADMIN, 'audit.list', { action, pageSize: 200 })).items;
  /** a start a sale may have: within the year ahead */
  const monthsAhead = (n: number) => new Date(Date.now() + n * 30 * 86_400_000).toISOString();

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a new member gets the next id in the seed style, their phone in the seed spelling, their memo and groups, and an activity-log row', async () => {
    const highest = await h.database.db.kysely.selectFrom('user').select('user_id').orderBy('user_id', 'desc').executeTakeFirstOrThrow();
    expect(highest.user_id).toBe('M1000040');
    const saved = await h.service.call(desk(), 'members.create', { userName: '김민수', phone: '+82 10 9876 5432', memo: '  무릎 부상, 점프 금지  ', groups: ['PILATES'] });
    expect(saved.warnings).toEqual([]);
    expect(saved.detail.member).toMatchObject({ userId: 'M1000041', userName: '김민수', phone: '01098765432', status: 'ACTIVE', memo: '무릎 부상, 점프 금지', livePasses: 0 });
    expect(saved.detail.groups).toEqual([{ userGroupId: 'PILATES', userGroupName: '필라테스 회원' }]);
    expect(await phoneOf('M1000041')).toBe('01098765432');
    const next = await h.service.call(desk(), 'members.create', { userName: '박지영' });
    expect(next.detail.member).toMatchObject({ userId: 'M1000042', phone: null, memo: null });
    const rows = await auditOf('members.create');
    expect(rows.map((r) => r.target)).toEqual(['user:M1000042', 'user:M1000041']);
    expect(rows[1]).toMatchObject({ actor: 'desk1', detail: expect.objectContaining({ userId: 'M1000041', phone: '01098765432' }) });
  });

  it('the three spellings of one number are one number: each is stored the same, and a second member with it gets a warning naming the first, not a refusal', async () => {
    const first = await h.service.call(desk(), 'members.create', { userName: '이서연', phone: '010-5555-7777' });
    expect(first.warnings).toEqual([]);
    for (const spelling of ['01055557777', '+82 10 5555 7777']) {
      const again = await h.service.call(desk(), 'members.create', { userName: `이서연 가족 ${spelling}`, phone: spelling });
      expect(await phoneOf(again.detail.member.userId)).toBe('01055557777');
      expect(again.warnings).toHaveLength(1);
      expect(again.warnings[0]).toMatchObject({ code: 'PHONE_IN_USE', members: expect.arrayContaining([{ userId: first.detail.member.userId, userName: '이서연' }]) });
      expect(again.warnings[0]!.message.ko).toContain(first.detail.member.userId);
      expect(again.warnings[0]!.message.en).toContain(first.detail.member.userId);
    }
    // a number stored by another program with hyphens is the same number too
    await h.database.db.kysely.updateTable('user').set({ phone: '010-4444-3333' }).where('user_id', '=', 'M1000003').execute();
    const shared = await h.service.call(desk(), 'members.create', { userName: '최하늘', phone: '01044443333' });
    expect(shared.warnings[0]?.members).toEqual([expect.objectContaining({ userId: 'M1000003' })]);
  });

  it('a phone that is no phone number, a blank name or an invisible character in a name is refused with its field, and nothing is written', async () => {
    const before = await fullSnapshot(h);
    for (const [input, field] of [
      [{ userName: '홍길동', phone: '010-1234' }, 'phone'],
      [{ userName: '홍길동', phone: 'call me' }, 'phone'],
      [{ userName: '   ' }, 'userName'],
      [{ userName: '홍\u200b길동' }, 'userName'],
      [{ userName: '홍길동', userId: 'M1000001\u200b' }, 'userId'],
      [{ userName: '홍길동', userId: 'OLD/17' }, 'userId'],
      [{ userName: '홍길동', memo: 'a\u0000b' }, 'memo'],
      [{ userName: '홍길동', memo: 'x'.repeat(1001) }, 'memo'],
      [{ userName: '홍길동', groups: ['NO_SUCH_GROUP'] }, 'groups.0'],
    ] as const) {
      const error = await refused(h.service.call(desk(), 'members.create', input));
      expect(error.field, JSON.stringify(input)).toBe(field);
      expect(error.status).toBeLessThan(500);
    }
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('a given member id is kept; one taken in any letter case is refused, since MySQL would take it for the other', async () => {
    const made = await h.service.call(desk(), 'members.create', { userId: 'OLD-00017', userName: '정우성' });
    expect(made.detail.member.userId).toBe('OLD-00017');
    const before = await fullSnapshot(h);
    for (const userId of ['OLD-00017', 'old-00017', 'm1000001']) {
      const error = await refused(h.service.call(desk(), 'members.create', { userId, userName: '다른 사람' }));
      expect(error.code, userId).toBe('CONFLICT');
      expect(error.text.ko).toContain('이미');
    }
    expect(await fullSnapshot(h)).toEqual(before);
    // a given id outside the seed's style does not move the generated ones
    expect((await h.service.call(desk(), 'members.create', { userName: '다음 회원' })).detail.member.userId).toMatch(/^M10000\d\d$/);
  });

  it('editing changes the name, phone and memo given, clears what is null, warns about a phone that is someone else\'s, and logs what it was', async () => {
    const member = (await h.service.call(desk(), 'members.create', { userName: '한지민', phone: '010-2222-1111', memo: '오전 선호' })).detail.member;
    const renamed = await h.service.call(desk(), 'members.update', { userId: member.userId, userName: '한지민B' });
    expect(renamed.detail.member).toMatchObject({ userName: '한지민B', phone: '01022221111', memo: '오전 선호' });
    expect(renamed.warnings).toEqual([]);
    const samePhone = await h.service.call(desk(), 'members.update', { userId: member.userId, phone: '+82 10 2222 1111' });
    expect(samePhone.warnings).toEqual([]);
    const firstPhone = (await phoneOf('M1000001'))!;
    const taken = await h.service.call(desk(), 'members.update', { userId: member.userId, phone: firstPhone, memo: null });
    expect(taken.detail.member).toMatchObject({ phone: firstPhone, memo: null });
    expect(taken.warnings.map((w) => w.code)).toEqual(['PHONE_IN_USE']);
    const cleared = await h.service.call(desk(), 'members.update', { userId: member.userId, phone: null });
    expect(cleared.detail.member.phone).toBeNull();
    const rows = await auditOf('members.update');
    expect(rows[rows.length - 1]).toMatchObject({ target: `user:${member.userId}`, detail: expect.objectContaining({ userName: '한지민B', was: { user_name: '한지민' } }) });
    expect((await refused(h.service.call(desk(), 'members.update', { userId: member.userId }))).code).toBe('VALIDATION');
    expect((await refused(h.service.call(desk(), 'members.update', { userId: 'm1000001', userName: 'x' }))).code).toBe('NOT_FOUND');
  });

  it('deactivating keeps the member and their passes but takes them out of bulk grants; reactivating brings them back; doing either twice is refused', async () => {
    const userId = 'M1000002';
    const passesBefore = (await h.service.call(desk(), 'members.passes', { userId })).passes.length;
    const off = await h.service.call(desk(), 'members.deactivate', { userId });
    expect(off.detail.member.status).toBe('INACTIVE');
    expect(off.detail.passes).toHaveLength(passesBefore);
    const again = await refused(h.service.call(desk(), 'members.deactivate', { userId }));
    expect(again.code).toBe('CONFLICT');
    expect(again.text.en).toContain('already inactive');
    const on = await h.service.call(desk(), 'members.reactivate', { userId });
    expect(on.detail.member.status).toBe('ACTIVE');
    expect((await refused(h.service.call(desk(), 'members.reactivate', { userId }))).code).toBe('CONFLICT');
    // (with the seed's bookings still to come that it cancelled, if M1000002 has any: see below)
    expect((await auditOf('members.deactivate')).map((r) => r.detail)).toEqual([expect.objectContaining({ userId, status: 'INACTIVE', was: 'ACTIVE' })]);
    expect((await auditOf('members.reactivate')).map((r) => r.target)).toEqual([`user:${userId}`]);
  });

  it("groups: a member is added under the group's own name and removed again; the group's last member leaving is a warning; unknown groups and repeats are refused", async () => {
    const userId = (await h.service.call(desk(), 'members.create', { userName: '그룹 시험' })).detail.member.userId;
    const added = await h.service.call(desk(), 'members.addToGroup', { userId, userGroupId: 'HANBADA' });
    expect(added.detail.groups).toEqual([{ userGroupId: 'HANBADA', userGroupName: '한바다' }]);
    const mapping = await h.database.db.kysely.selectFrom('user_group_mapping').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
    expect(mapping).toMatchObject({ user_group_name: '한바다', description: '한바다 임직원 그룹' });
    expect((await refused(h.service.call(desk(), 'members.addToGroup', { userId, userGroupId: 'HANBADA' }))).code).toBe('CONFLICT');
    expect((await refused(h.service.call(desk(), 'members.addToGroup', { userId, userGroupId: 'hanbada' }))).code).toMatch(/NOT_FOUND|CONFLICT/);
    expect((await refused(h.service.call(desk(), 'members.addToGroup', { userId, userGroupId: 'NOPE' }))).code).toBe('NOT_FOUND');
    const removed = await h.service.call(desk(), 'members.removeFromGroup', { userId, userGroupId: 'HANBADA' });
    expect(removed.detail.groups).toEqual([]);
    expect(removed.warnings).toEqual([]);
    expect((await refused(h.service.call(desk(), 'members.removeFromGroup', { userId, userGroupId: 'HANBADA' }))).code).toBe('CONFLICT');

    // a group of one: taking its member out warns that the group is gone from the lists
    await h.database.db.kysely
      .insertInto('user_group_mapping')
      .values({ user_group_id: 'SOLO', user_id: userId, user_group_name: '혼자', description: '한 명', created_at: '2026-01-01 00:00:00.000', modified_at: null })
      .execute();
    const emptied = await h.service.call(desk(), 'members.removeFromGroup', { userId, userGroupId: 'SOLO' });
    expect(emptied.warnings.map((w) => w.code)).toEqual(['GROUP_EMPTIED']);
    expect((await h.service.call(desk(), 'groups.list', {})).map((g) => g.userGroupId)).not.toContain('SOLO');
    expect((await auditOf('members.addToGroup')).length).toBe(1);
    expect((await auditOf('members.removeFromGroup')).length).toBe(2);
  });

  it("the member's detail shows their groups, passes and bookings", async () => {
    const detail = await h.service.call(desk(), 'members.passes', { userId: 'M1000001' });
    const mapped = await h.database.db.kysely.selectFrom('user_group_mapping').select('user_group_id').where('user_id', '=', 'M1000001').orderBy('user_group_id').execute();
    expect(detail.groups.map((g) => g.userGroupId)).toEqual(mapped.map((m) => m.user_group_id));
    expect(detail.groups.map((g) => g.userGroupId)).toContain('ALL');
    expect(detail.passes.length).toBeGreaterThan(0);
    expect(detail.bookings.length).toBeGreaterThan(0);
    // the seed's bookings were made for no class (a class's title is shown for those made at the desk)
    expect(detail.bookings.every((b) => b.classSeq === null && b.classTitle === null)).toBe(true);
    expect(detail.member).toEqual(expect.objectContaining({ memo: null, createdAt: expect.any(String) }));
  });

  it("the search finds a member by name, by any spelling of the phone, and by the phone's last four digits alone", async () => {
    const userId = (await h.service.call(desk(), 'members.create', { userName: '뒷자리 찾기', phone: '010-8080-4321' })).detail.member.userId;
    for (const query of ['뒷자리 찾기', '010-8080-4321', '01080804321', '+82 10 8080 4321', '8080 4321', '4321']) {
      const found = await h.service.call(desk(), 'members.search', { query });
      expect(found.members.map((m) => m.userId), query).toContain(userId);
    }
    // four digits are the last four: the middle of the number does not find it
    expect((await h.service.call(desk(), 'members.search', { query: '8080' })).members.map((m) => m.userId)).not.toContain(userId);
    const byLastFour = await h.service.call(desk(), 'members.search', { query: '4321', limit: 100 });
    for (const m of byLastFour.members) expect(m.phone?.replace(/\D/g, '').endsWith('4321') || m.userName.includes('4321') || m.userId.includes('4321'), m.userId).toBe(true);
  });

  it("a search with letters, such as a member id or its start, finds members by id and not by the digits in other members' phones", async () => {
    const byId = (await h.service.call(desk(), 'members.create', { userId: 'QA-77001', userName: '아이디 찾기' })).detail.member.userId;
    const byPhone = (await h.service.call(desk(), 'members.create', { userName: '전화 회원', phone: '010-7700-1999' })).detail.member.userId;
    for (const query of ['QA-77001', 'qa-77001', 'QA-770']) {
      const found = (await h.service.call(desk(), 'members.search', { query, limit: 100 })).members.map((m) => m.userId);
      expect(found, query).toContain(byId);
      expect(found, query).not.toContain(byPhone);
    }
    // digits alone still find the phone
    expect((await h.service.call(desk(), 'members.search', { query: '77001999' })).members.map((m) => m.userId)).toContain(byPhone);
  });

  it('a change whose activity-log row cannot be written is not made: the member and the row commit together', async () => {
    const kysely = h.database.db.kysely;
    const target = (await h.service.call(desk(), 'members.create', { userName: '기록 시험' })).detail.member.userId;
    const before = await fullSnapshot(h);
    await sql`ALTER TABLE audit_log RENAME TO audit_log_away`.execute(kysely);
    try {
      await refused(h.service.call(desk(), 'members.create', { userName: '기록 없음', phone: '010-3030-3030' }));
      await refused(h.service.call(desk(), 'members.update', { userId: 'M1000001', userName: '기록 없음' }));
      await refused(h.service.call(desk(), 'members.deactivate', { userId: 'M1000001' }));
      await refused(h.service.call(desk(), 'members.addToGroup', { userId: target, userGroupId: 'HANBADA' }));
      await refused(h.service.call(desk(), 'members.removeFromGroup', { userId: 'M1000001', userGroupId: 'ALL' }));
    } finally {
      await sql`ALTER TABLE audit_log_away RENAME TO audit_log`.execute(kysely);
    }
    expect(await fullSnapshot(h)).toEqual(before);
  });
  it('a search lists each member on its page with the passes they hold that have not expired, counted for that member alone', async () => {
    const two = (await h.service.call(desk(), 'members.create', { userName: '검색 둘' })).detail.member.userId;
    const none = (await h.service.call(desk(), 'members.create', { userName: '검색 없음' })).detail.member.userId;
    for (let i = 0; i < 2; i++) await h.service.call(desk(), 'passes.register', { userId: two, packageSeq: 1, startedAt: monthsAhead(6), paymentMethod: 'CARD' });
    const found = await h.service.call(desk(), 'members.search', { query: '검색', limit: 1 });
    expect([found.total, found.members.map((m) => [m.userName, m.livePasses])]).toEqual([2, [['검색 둘', 2]]]);
    const next = await h.service.call(desk(), 'members.search', { query: '검색', limit: 1, after: found.next! });
    expect(next.members.map((m) => [m.userId, m.livePasses])).toEqual([[none, 0]]);
  });

  it('a pass whose end has passed is shown expired and is not counted as usable at once, before the nightly expirePassesJob has run', async () => {
    const DAY = 86_400_000;
    const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
    const userId = (await h.service.call(desk(), 'members.create', { userName: '만료 확인' })).detail.member.userId;
    // Sold today with its start 40 days back: a 30-day pass that is already over.
    const late = await h.service.call(desk(), 'passes.register', { userId, packageSeq: 5, startedAt: daysAgo(40), paymentMethod: 'CARD' });
    expect(late.passes.map((p) => p.status)).toEqual(['EXPIRED']);
    const current = (await h.service.call(desk(), 'passes.register', { userId, packageSeq: 3, startedAt: daysAgo(10), paymentMethod: 'CARD' })).passes[0]!;
    const never = (await h.service.call(desk(), 'passes.register', { userId, packageSeq: 6, startedAt: daysAgo(1) })).passes[0]!;
    const later = (await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: monthsAhead(6), paymentMethod: 'CARD' })).passes[0]!;
    // One in use whose end came a minute ago, and one whose uses ran out: the job has not run.
    const ended = (await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: daysAgo(5), paymentMethod: 'CARD' })).passes[0]!;
    const usedUp = (await h.service.call(desk(), 'passes.register', { userId, packageSeq: 4, startedAt: daysAgo(5) })).passes[0]!;
    const kysely = h.database.db.kysely;
    await kysely.updateTable('pass').set({ ended_at: toDbTime(new Date(Date.now() - 60_000)) }).where('pass_seq', '=', ended.passSeq).execute();
    await kysely.updateTable('pass').set({ remaining_count: 0 }).where('pass_seq', '=', usedUp.passSeq).execute();

    const detail = await h.service.call(desk(), 'members.passes', { userId });
    const statusOf = new Map(detail.passes.map((p) => [p.passSeq, p.status]));
    expect([late.passes[0]!, current, never, later, ended, usedUp].map((p) => statusOf.get(p.passSeq))).toEqual(['EXPIRED', 'PROGRESSED', 'PROGRESSED', 'READY', 'EXPIRED', 'EXPIRED']);
    expect(detail.member.livePasses).toBe(3);
    const found = await h.service.call(desk(), 'members.search', { query: userId });
    expect(found.members.map((m) => [m.userId, m.livePasses])).toEqual([[userId, 3]]);
  });
});
