// A group made at the desk, on both databases: a gym with no groups yet (or none that fits) puts a
// member in a new one; the group is then listed, a bulk grant to it reaches its members, and an
// import naming it finds it (its id is its name, as an import makes one). A name a group already
// has, spaces and case aside, is refused at the field with nothing written; so is a name that is
// no name.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('a new group made at the desk', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const member = async () => (await h.service.call(desk(), 'members.create', { userName: `새 그룹 회원 ${backend} ${++counter}` })).detail.member.userId;

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a member is put in a new group, which is then listed with them, and a bulk grant to it gives them a pass', async () => {
    const [first, second] = [await member(), await member()];
    const saved = await h.service.call(desk(), 'members.addToNewGroup', { userId: first, userGroupName: ' 아침 요가반 ' });
    expect(saved.detail.groups).toEqual([{ userGroupId: '아침 요가반', userGroupName: '아침 요가반' }]);
    await h.service.call(desk(), 'members.addToGroup', { userId: second, userGroupId: '아침 요가반' });
    expect((await h.service.call(desk(), 'groups.list', {})).find((g) => g.userGroupId === '아침 요가반')).toMatchObject({ userGroupName: '아침 요가반', memberCount: 2, activeMemberCount: 2 });

    const grant = await h.service.call(desk(), 'bulkGrants.create', { packageSeq: 1, userGroupId: '아침 요가반', startedAt: new Date(Date.now() - 60_000).toISOString() });
    await h.service.call(desk(), 'bulkGrants.grantNow', { bulkPassSeq: grant.bulkPassSeq });
    await expect.poll(async () => (await h.service.call(desk(), 'bulkGrants.list', {})).find((g) => g.bulkPassSeq === grant.bulkPassSeq)?.status, { timeout: 60_000 }).toBe('COMPLETED');
    for (const userId of [first, second]) {
      expect((await h.service.call(desk(), 'members.passes', { userId })).passes.map((p) => p.bulkPassSeq)).toEqual([grant.bulkPassSeq]);
    }
    const [row] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'members.addToNewGroup', pageSize: 200 })).items.filter((r) => r.target === `user:${first}`);
    expect(row).toMatchObject({ actor: 'desk1', detail: { userId: first, userGroupName: '아침 요가반' } });
  });

  it('a name a group already has, by id or by name, spaces and case aside, is refused at the field and nothing is written; so is a name that is no name', async () => {
    const userId = await member();
    await h.service.call(desk(), 'members.addToNewGroup', { userId: await member(), userGroupName: 'Evening PT' });
    const snapshot = await fullSnapshot(h);
    for (const name of ['evening  pt', 'HANBADA', '한바다']) {
      const refusal = await refused(h.service.call(desk(), 'members.addToNewGroup', { userId, userGroupName: name }));
      expect(refusal).toMatchObject({ code: 'CONFLICT', field: 'userGroupName' });
      expect(refusal.text.ko).toMatch(/^'.+' 그룹이 이미 있습니다\. 그룹 목록에서 골라 넣으세요\.$/);
    }
    for (const name of ['', '   ', 'x'.repeat(21), '숨은\u200b글자']) {
      expect(await refused(h.service.call(desk(), 'members.addToNewGroup', { userId, userGroupName: name }))).toMatchObject({ code: 'VALIDATION', field: 'userGroupName' });
    }
    expect((await refused(h.service.call(desk(), 'members.addToNewGroup', { userId: 'NO-SUCH-1', userGroupName: '없는 회원의 그룹' }))).code).toBe('NOT_FOUND');
    expect(await fullSnapshot(h)).toEqual(snapshot);
  });
});
