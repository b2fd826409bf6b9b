// @vitest-environment happy-dom
// Issue 18, slice 1 on the member screen: the desk creates a member in a dialog (a phone already
// someone's is shown as a warning, a refused phone at its field), edits one, deactivates one only
// after confirming (told what it cancels with them), and moves them in and out of groups. A sale
// says the package's price before it is confirmed, and the member's passes say what each sold for;
// a package with a price asks how it was paid, and the passes say that too.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useMembers } from '../../../renderer/src/stores/members.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge, type Handlers } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const GROUPS = [
  { userGroupId: 'HANBADA', userGroupName: '한바다', description: '', memberCount: 5, activeMemberCount: 4 },
  { userGroupId: 'PILATES', userGroupName: '필라테스 회원', description: '', memberCount: 9, activeMemberCount: 9 },
];

interface Person {
  userId: string;
  userName: string;
  phone: string | null;
  status: 'ACTIVE' | 'INACTIVE';
  memo: string | null;
  groups: string[];
}

const detail = (p: Person) => ({
  member: { userId: p.userId, userName: p.userName, phone: p.phone, status: p.status, livePasses: 0, memo: p.memo, createdAt: '2026-12-01T00:00:00.000Z' },
  groups: GROUPS.filter((g) => p.groups.includes(g.userGroupId)).map((g) => ({ userGroupId: g.userGroupId, userGroupName: g.userGroupName })),
  passes: [],
  bookings: [],
  upcoming: { bookings: 0, waitlist: 0 },
});

function deskBridge(people: Map<string, Person>, extra: Handlers = {}) {
  const saved = (p: Person, warnings: unknown[] = []) => ({ detail: detail(p), warnings });
  return fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'packages.list': () => [],
    'groups.list': () => GROUPS,
    'members.search': ({ query }: { query: string }) => {
      const members = [...people.values()].filter((p) => p.userName.includes(query) || (p.phone ?? '').endsWith(query)).map((p) => detail(p).member);
      return { members, total: members.length, next: null };
    },
    'members.passes': ({ userId }: { userId: string }) => detail(people.get(userId)!),
    'members.deactivate': ({ userId }: { userId: string }) => saved(Object.assign(people.get(userId)!, { status: 'INACTIVE' })),
    'members.reactivate': ({ userId }: { userId: string }) => saved(Object.assign(people.get(userId)!, { status: 'ACTIVE' })),
    'members.update': ({ userId, ...change }: { userId: string; userName?: string; phone?: string | null; memo?: string | null }) => {
      const p = people.get(userId)!;
      Object.assign(p, change, change.phone ? { phone: change.phone.replace(/\D/g, '') } : {});
      return saved(p);
    },
    'members.addToGroup': ({ userId, userGroupId }: { userId: string; userGroupId: string }) => {
      const p = people.get(userId)!;
      p.groups.push(userGroupId);
      return saved(p);
    },
    'members.removeFromGroup': ({ userId, userGroupId }: { userId: string; userGroupId: string }) => {
      const p = people.get(userId)!;
      p.groups = p.groups.filter((g) => g !== userGroupId);
      return saved(p);
    },
    ...extra,
  });
}

const calls = (bridge: ReturnType<typeof fakeBridge>, operation: string) => bridge.calls.filter((c) => c.operation === operation).map((c) => c.input);

async function openMember(query: string, userId: string) {
  fireEvent.change(screen.getByTestId('member-query'), { target: { value: query } });
  fireEvent.click(screen.getByTestId('member-search'));
  fireEvent.click(await screen.findByTestId('member-result', {}, { timeout: 15_000 })); // a wait for a busy machine, not a limit on the screen
  return screen.findByText((_, el) => el?.getAttribute('data-testid') === 'member-detail' && el.getAttribute('data-user') === userId);
}

beforeEach(() => {
  signedOut();
  useMembers.setState({ query: '', results: { state: 'idle' }, userId: null, member: { state: 'idle' }, groups: { state: 'idle' }, packages: { state: 'idle' }, warnings: [] });
});
afterEach(cleanup);

test('the desk creates a member in a dialog with a phone and a group; the new member opens, with the warning that the phone is already someone else\'s', async () => {
  const people = new Map<string, Person>();
  const bridge = deskBridge(people, {
    'members.create': (input: { userName: string; phone?: string; memo?: string; groups?: string[] }) => {
      const p: Person = { userId: 'M1000041', userName: input.userName, phone: '01012345678', status: 'ACTIVE', memo: input.memo ?? null, groups: input.groups ?? [] };
      people.set(p.userId, p);
      return {
        detail: detail(p),
        warnings: [{ code: 'PHONE_IN_USE', message: { ko: '이 전화번호는 이미 우영우(M1000001) 회원의 번호이기도 합니다.', en: "This phone number is also 우영우 (M1000001)'s." }, members: [{ userId: 'M1000001', userName: '우영우' }] }],
      };
    },
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  fireEvent.click(await screen.findByTestId('member-new', {}, { timeout: 15_000 }));
  const form = await screen.findByTestId('member-form');
  fireEvent.change(within(form).getByTestId('member-form-name'), { target: { value: ' 김민수 ' } });
  fireEvent.change(within(form).getByTestId('member-form-phone'), { target: { value: '+82 10 1234 5678' } });
  fireEvent.change(within(form).getByTestId('member-form-memo'), { target: { value: '무릎 조심' } });
  fireEvent.click(await within(form).findByLabelText('필라테스 회원'));
  fireEvent.click(within(form).getByTestId('member-form-submit'));

  const opened = await screen.findByText((_, el) => el?.getAttribute('data-testid') === 'member-detail' && el.getAttribute('data-user') === 'M1000041');
  expect(calls(bridge, 'members.create')).toEqual([{ userName: ' 김민수 ', phone: '+82 10 1234 5678', memo: '무릎 조심', groups: ['PILATES'] }]);
  expect(within(opened).getByTestId('member-warning').textContent).toContain('우영우(M1000001)');
  expect(within(opened).getByTestId('member-phone').textContent).toBe('010-1234-5678');
  expect(within(opened).getByTestId('member-memo').textContent).toContain('무릎 조심');
  expect(within(opened).getAllByTestId('member-group').map((g) => g.dataset.group)).toEqual(['PILATES']);
  expect(screen.queryByTestId('member-form')).toBeNull();
});

test('a phone the service refuses is named at the phone field, and the dialog stays open with what was typed', async () => {
  const bridge = deskBridge(new Map(), {
    'members.create': () => Promise.reject(new BridgeError('VALIDATION', { ko: 'phone: 전화번호가 아닙니다', en: 'phone: is not a phone number' }, 'phone', 400)),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  fireEvent.click(await screen.findByTestId('member-new', {}, { timeout: 15_000 }));
  const form = await screen.findByTestId('member-form');
  fireEvent.change(within(form).getByTestId('member-form-name'), { target: { value: '홍길동' } });
  fireEvent.change(within(form).getByTestId('member-form-phone'), { target: { value: '010-1234' } });
  fireEvent.click(within(form).getByTestId('member-form-submit'));
  const phoneField = within(form).getByTestId('member-form-phone').closest('label')!;
  await waitFor(() => expect(phoneField.querySelector('.field-error')?.textContent).toBe('phone: 전화번호가 아닙니다'));
  expect((within(form).getByTestId('member-form-name') as HTMLInputElement).value).toBe('홍길동');
});

test("deactivating a member with classes ahead names the bookings and waitlist places it cancels, as the server counts them when asked, says reactivating brings none back, and the result says what was done", async () => {
  const person: Person = { userId: 'M1000008', userName: '김예약', phone: '01055556666', status: 'ACTIVE', memo: null, groups: [] };
  // one booking when the member was opened; two and a waitlist place by the time the desk deactivates
  let upcoming = { bookings: 1, waitlist: 0 };
  const bridge = deskBridge(new Map([[person.userId, person]]), {
    'members.passes': () => ({ ...detail(person), upcoming }),
    'members.deactivate': () => ({ detail: { ...detail(Object.assign(person, { status: 'INACTIVE' })), upcoming: { bookings: 0, waitlist: 0 } }, warnings: [], cancelled: { bookings: 2, waitlist: 1, promoted: 1, notified: 3 } }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('6666', 'M1000008');
  upcoming = { bookings: 2, waitlist: 1 };
  fireEvent.click(within(opened).getByTestId('member-deactivate'));
  const dialog = await screen.findByTestId('confirm-dialog');
  expect(dialog.textContent).toContain('앞으로의 수업 예약 2개와 수업 대기 1건도 함께 취소됩니다');
  expect(dialog.textContent).toContain('다시 활동으로 바꿔도 되살아나지 않습니다.');
  fireEvent.click(within(dialog).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'members.deactivate')).toEqual([{ userId: 'M1000008' }]));
  await waitFor(() => expect(document.body.textContent).toContain('휴면 처리했습니다. 앞으로의 수업 예약 2개와 수업 대기 1건을 취소했습니다. 대기하던 회원 1명을 빈자리에 예약했습니다.'));
});

test('deactivating asks first: Cancel sends nothing, confirming deactivates and offers reactivation', async () => {
  const people = new Map<string, Person>([['M1000007', { userId: 'M1000007', userName: '최수연', phone: '01033334444', status: 'ACTIVE', memo: null, groups: [] }]]);
  const bridge = deskBridge(people);
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('4444', 'M1000007');

  fireEvent.click(within(opened).getByTestId('member-deactivate'));
  const dialog = await screen.findByTestId('confirm-dialog');
  expect(dialog.textContent).toContain('최수연(M1000007)');
  expect(dialog.textContent).not.toContain('앞으로의 수업 예약');
  expect(document.activeElement).toBe(within(dialog).getByTestId('confirm-cancel'));
  fireEvent.click(within(dialog).getByTestId('confirm-cancel'));
  await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
  expect(calls(bridge, 'members.deactivate')).toEqual([]);

  fireEvent.click(within(opened).getByTestId('member-deactivate'));
  fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'members.deactivate')).toEqual([{ userId: 'M1000007' }]));
  await waitFor(() => expect(screen.getByTestId('member-detail').dataset.status).toBe('INACTIVE'));
  expect(screen.getByTestId('member-reactivate')).toBeTruthy();
});

test('editing sends the new name, phone and memo, and a cleared phone as null', async () => {
  const people = new Map<string, Person>([['M1000008', { userId: 'M1000008', userName: '권민우', phone: '01077778888', status: 'ACTIVE', memo: '오전', groups: [] }]]);
  const bridge = deskBridge(people);
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('권민우', 'M1000008');
  fireEvent.click(within(opened).getByTestId('member-edit'));
  const form = await screen.findByTestId('member-form');
  expect((within(form).getByTestId('member-form-phone') as HTMLInputElement).value).toBe('010-7777-8888');
  expect(within(form).queryByTestId('member-form-id')).toBeNull();
  fireEvent.change(within(form).getByTestId('member-form-name'), { target: { value: '권민우B' } });
  fireEvent.change(within(form).getByTestId('member-form-phone'), { target: { value: '' } });
  fireEvent.click(within(form).getByTestId('member-form-submit'));
  await waitFor(() => expect(calls(bridge, 'members.update')).toEqual([{ userId: 'M1000008', userName: '권민우B', phone: null, memo: '오전' }]));
  await waitFor(() => expect(screen.getByTestId('member-detail').querySelector('h2')?.textContent).toBe('권민우B'));
});

test('groups: the desk adds the member to a group they are not in, and removes them from one only after confirming', async () => {
  const people = new Map<string, Person>([['M1000009', { userId: 'M1000009', userName: '한선영', phone: '01099990000', status: 'ACTIVE', memo: null, groups: ['HANBADA'] }]]);
  const bridge = deskBridge(people);
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('한선영', 'M1000009');
  // the groups offered are those the member is not in
  const select = (await within(opened).findByTestId('group-add-select')) as HTMLSelectElement;
  expect([...select.options].map((o) => o.value)).toEqual(['', 'PILATES', ' new']);
  fireEvent.change(select, { target: { value: 'PILATES' } });
  fireEvent.click(within(opened).getByTestId('group-add'));
  await waitFor(() => expect(calls(bridge, 'members.addToGroup')).toEqual([{ userId: 'M1000009', userGroupId: 'PILATES' }]));
  await waitFor(() => expect(screen.getAllByTestId('member-group').map((g) => g.dataset.group)).toEqual(['HANBADA', 'PILATES']));

  const hanbada = screen.getAllByTestId('member-group').find((g) => g.dataset.group === 'HANBADA')!;
  fireEvent.click(within(hanbada).getByTestId('group-remove'));
  fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-cancel'));
  await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
  expect(calls(bridge, 'members.removeFromGroup')).toEqual([]);
  fireEvent.click(within(hanbada).getByTestId('group-remove'));
  fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'members.removeFromGroup')).toEqual([{ userId: 'M1000009', userGroupId: 'HANBADA' }]));
  await waitFor(() => expect(screen.getAllByTestId('member-group').map((g) => g.dataset.group)).toEqual(['PILATES']));
});

test('a gym with no groups yet puts a member in a new group typed at the desk; a name already taken is said under the name field and what was typed stays', async () => {
  const people = new Map<string, Person>([['M1000012', { userId: 'M1000012', userName: '윤새봄', phone: '01012120000', status: 'ACTIVE', memo: null, groups: [] }]]);
  const bridge = deskBridge(people, {
    'groups.list': () => [],
    'members.addToNewGroup': ({ userId, userGroupName }: { userId: string; userGroupName: string }) => {
      if (userGroupName.trim() === '한바다') throw new BridgeError('CONFLICT', { ko: "'한바다' 그룹이 이미 있습니다. 그룹 목록에서 골라 넣으세요.", en: "There is already a group called '한바다'. Pick it from the list of groups." }, 'userGroupName', 409);
      const p = people.get(userId)!;
      GROUPS.push({ userGroupId: userGroupName.trim(), userGroupName: userGroupName.trim(), description: '', memberCount: 1, activeMemberCount: 1 });
      p.groups.push(userGroupName.trim());
      return { detail: detail(p), warnings: [] };
    },
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('윤새봄', 'M1000012');
  const select = (await within(opened).findByTestId('group-add-select')) as HTMLSelectElement;
  expect([...select.options].map((o) => o.textContent)).toEqual(['그룹 고르기', '＋ 새 그룹 만들기…']);
  fireEvent.change(select, { target: { value: ' new' } });
  const name = (await within(opened).findByTestId('group-new-name')) as HTMLInputElement;
  const add = within(opened).getByTestId('group-add') as HTMLButtonElement;
  expect([add.textContent, add.disabled]).toEqual(['새 그룹에 넣기', true]);

  fireEvent.change(name, { target: { value: '한바다' } });
  fireEvent.click(add);
  await waitFor(() => expect(name.closest('label.field')!.querySelector('.field-error')?.textContent).toBe("'한바다' 그룹이 이미 있습니다. 그룹 목록에서 골라 넣으세요."));
  expect(name.value).toBe('한바다');

  fireEvent.change(name, { target: { value: ' 아침 요가반 ' } });
  expect(name.closest('label.field')!.querySelector('.field-error')).toBeNull();
  fireEvent.click(add);
  await waitFor(() => expect(calls(bridge, 'members.addToNewGroup')).toEqual([{ userId: 'M1000012', userGroupName: '한바다' }, { userId: 'M1000012', userGroupName: ' 아침 요가반 ' }]));
  await waitFor(() => expect(screen.getAllByTestId('member-group').map((g) => g.dataset.group)).toEqual(['아침 요가반']));
  expect(screen.getByText('아침 요가반 그룹을 만들어 넣었습니다.')).toBeTruthy();
  expect(screen.queryByTestId('group-new-name')).toBeNull();
  GROUPS.pop();
});

test('groups are shown to the desk by their names, never their ids, unless two share a name: then the id tells them apart', async () => {
  const people = new Map<string, Person>([['M1000011', { userId: 'M1000011', userName: '민하늘', phone: '01055556666', status: 'ACTIVE', memo: null, groups: ['HANBADA'] }]]);
  const groups = [
    { userGroupId: 'ALL', userGroupName: '전체 회원', description: '', memberCount: 40, activeMemberCount: 40 },
    GROUPS[0]!,
    { userGroupId: 'YOGA', userGroupName: '요가 회원', description: '', memberCount: 3, activeMemberCount: 3 },
    { userGroupId: 'YOGA2', userGroupName: '요가 회원', description: '', memberCount: 2, activeMemberCount: 2 },
  ];
  const bridge = deskBridge(people, { 'groups.list': () => groups });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('민하늘', 'M1000011');
  const select = (await within(opened).findByTestId('group-add-select')) as HTMLSelectElement;
  expect([...select.options].map((o) => o.textContent)).toEqual(['그룹 고르기', '전체 회원', '요가 회원 (YOGA)', '요가 회원 (YOGA2)', '＋ 새 그룹 만들기…']);
  expect(within(opened).getAllByTestId('member-group').map((g) => g.firstChild?.textContent)).toEqual(['한바다']);

  fireEvent.click(screen.getByTestId('member-new'));
  const form = await screen.findByTestId('member-form');
  expect([...within(form).getByTestId('member-form-groups').querySelectorAll('label')].map((l) => l.textContent)).toEqual(['전체 회원', '한바다', '요가 회원 (YOGA)', '요가 회원 (YOGA2)']);
});

test('a pass’s start is typed as 2026-12-07 whatever the browser’s locale: a day that is not one is said under it and nothing is sent, a day is', async () => {
  const people = new Map<string, Person>([['M1000010', { userId: 'M1000010', userName: '오지민', phone: '01011112222', status: 'ACTIVE', memo: null, groups: [] }]]);
  const bridge = deskBridge(people, {
    'packages.list': () => [{ packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: null }],
    'passes.register': () => ({ passes: [] }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('오지민', 'M1000010');
  fireEvent.click(within(opened).getByTestId('register-open'));
  const form = await screen.findByTestId('register-form');
  fireEvent.change(within(form).getByTestId('register-package'), { target: { value: '1' } });
  const start = within(form).getByTestId('register-start') as HTMLInputElement;
  expect([start.type, start.placeholder]).toEqual(['text', 'YYYY-MM-DD']);
  const errorUnder = () => start.closest('label.field')!.querySelector('.field-error')?.textContent;
  for (const typed of ['2099-02-30', '03/02/2099']) {
    fireEvent.change(start, { target: { value: typed } });
    fireEvent.click(within(form).getByTestId('register-submit'));
    await waitFor(() => expect(errorUnder()).toBe('날짜를 2026-12-01처럼 넣으세요'));
    expect(start.getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
  }
  fireEvent.change(start, { target: { value: '2099-03-02' } });
  expect(errorUnder()).toBeUndefined();
  fireEvent.click(within(form).getByTestId('register-submit'));
  fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'passes.register')).toEqual([{ userId: 'M1000010', packageSeq: 1, startedAt: '2099-03-02' }]));
});

test("while a member or a sale can't be saved yet, the form says why beside its button: a name to give, a package to choose, or that no package is on sale", async () => {
  const people = new Map<string, Person>([['M1000013', { userId: 'M1000013', userName: '강하늘', phone: null, status: 'ACTIVE', memo: null, groups: [] }]]);
  let onSale = [] as Array<{ packageSeq: number; packageName: string; count: number; period: number; retiredAt: null; price: null }>;
  const bridge = deskBridge(people, { 'packages.list': () => onSale });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });

  fireEvent.click(screen.getByTestId('member-new'));
  const form = await screen.findByTestId('member-form');
  const whyMember = () => within(form).queryByTestId('member-form-submit-why')?.textContent ?? null;
  expect(whyMember()).toBe('회원 이름을 쓰세요.');
  expect(within(form).getByTestId('member-form-submit').getAttribute('aria-describedby')).toBe(within(form).getByTestId('member-form-submit-why').id);
  fireEvent.change(within(form).getByTestId('member-form-name'), { target: { value: '새 회원' } });
  expect(whyMember()).toBeNull();
  fireEvent.keyDown(within(form).getByTestId('member-form-name'), { key: 'Escape' });
  await waitFor(() => expect(screen.queryByTestId('member-form')).toBeNull());

  const opened = await openMember('강하늘', 'M1000013');
  fireEvent.click(within(opened).getByTestId('register-open'));
  const sale = await screen.findByTestId('register-form');
  const whySale = () => within(sale).queryByTestId('register-submit-why')?.textContent ?? null;
  await waitFor(() => expect(whySale()).toBe('판매 중인 패키지가 없습니다. 매니저가 패키지 화면에서 만들거나 다시 판매하게 하세요.'));
  fireEvent.keyDown(sale, { key: 'Escape' });
  await waitFor(() => expect(screen.queryByTestId('register-form')).toBeNull());

  onSale = [{ packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: null }];
  fireEvent.click(within(opened).getByTestId('register-open'));
  const again = await screen.findByTestId('register-form');
  await waitFor(() => expect(within(again).queryByTestId('register-submit-why')?.textContent).toBe('판매할 패키지를 고르세요.'));
  fireEvent.change(within(again).getByTestId('register-package'), { target: { value: '1' } });
  expect(within(again).queryByTestId('register-submit-why')).toBeNull();
});

test("while a member can't be put in a group yet, the groups form says why beside its button: a group to choose, or a name for the new group (spaces are no name)", async () => {
  const people = new Map<string, Person>([['M1000014', { userId: 'M1000014', userName: '서바다', phone: null, status: 'ACTIVE', memo: null, groups: [] }]]);
  await signInWith(deskBridge(people), 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('서바다', 'M1000014');
  const select = (await within(opened).findByTestId('group-add-select')) as HTMLSelectElement;
  const add = within(opened).getByTestId('group-add') as HTMLButtonElement;
  const why = () => within(opened).queryByTestId('group-add-why')?.textContent ?? null;
  /** the button is disabled exactly while a why is said, and described by it */
  const said = () => {
    const note = within(opened).queryByTestId('group-add-why');
    expect(add.disabled).toBe(note !== null);
    expect(add.getAttribute('aria-describedby')).toBe(note?.id ?? null);
    return why();
  };

  expect(said()).toBe('넣을 그룹을 고르거나 새 그룹을 만드세요.');
  fireEvent.change(select, { target: { value: 'PILATES' } });
  expect(said()).toBeNull();

  fireEvent.change(select, { target: { value: ' new' } });
  const name = (await within(opened).findByTestId('group-new-name')) as HTMLInputElement;
  expect(said()).toBe('새 그룹의 이름을 쓰세요.');
  fireEvent.change(name, { target: { value: '   ' } });
  expect(said()).toBe('새 그룹의 이름을 쓰세요.');
  act(() => useLang.getState().setLang('en'));
  expect(said()).toBe('Give the new group a name.');
  fireEvent.change(name, { target: { value: ' 저녁 요가반' } });
  expect(said()).toBeNull();

  fireEvent.change(select, { target: { value: '' } });
  expect(said()).toBe('Choose a group to add them to, or make a new one.');
  act(() => useLang.getState().setLang('ko'));
});

test('a sale says what the package sells for in its choice and in the confirmation, a bonus that it is given; the passes say under their name what each sold for, a pass not sold nothing', async () => {
  const people = new Map<string, Person>([['M1000020', { userId: 'M1000020', userName: '한가람', phone: null, status: 'ACTIVE', memo: null, groups: [] }]]);
  const pass = (passSeq: number, packageName: string, price: number | null, bulkPassSeq: number | null = null) => ({
    passSeq, packageSeq: passSeq, packageName, status: 'PROGRESSED', remainingCount: 5, startedAt: '2026-11-01T00:00:00.000Z', endedAt: '2026-12-31T15:00:00.000Z', expiredAt: null, bulkPassSeq, price,
  });
  const bridge = deskBridge(people, {
    'packages.list': () => [
      { packageSeq: 1, packageName: 'PT 10회 / 60일', count: 10, period: 60, retiredAt: null, price: 300_000 },
      { packageSeq: 2, packageName: '보너스 PT 2회', count: 2, period: 30, retiredAt: null, price: 50_000 },
      { packageSeq: 3, packageName: '인바디 상담', count: null, period: null, retiredAt: null, price: null },
    ],
    'members.passes': () => ({ ...detail(people.get('M1000020')!), passes: [pass(11, 'PT 10회 / 60일', 300_000), pass(12, '오픈 보너스', null, 1)] }),
    'passes.register': () => ({ passes: [] }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('한가람', 'M1000020');
  // under the sold pass's name, with its label for a screen reader; nothing under the granted one
  expect(within(opened).getAllByTestId('pass-price').map((c) => c.textContent)).toEqual(['300,000원']);
  expect(within(opened).getAllByTestId('pass-row')[0]!.querySelector('.pass-price')!.textContent).toBe('판매 금액 300,000원');

  fireEvent.click(within(opened).getByTestId('register-open'));
  const form = await screen.findByTestId('register-form');
  const select = within(form).getByTestId('register-package') as HTMLSelectElement;
  await waitFor(() => expect([...select.options].map((o) => o.textContent)).toEqual(['–', 'PT 10회 / 60일 · 10회 · 60일 · 300,000원', '보너스 PT 2회 · 2회 · 30일 · 50,000원', '인바디 상담']));
  fireEvent.change(select, { target: { value: '1' } });
  const bonus = within(form).getAllByRole('combobox')[1] as HTMLSelectElement;
  expect([...bonus.options].map((o) => o.textContent)).toEqual(['없음', 'PT 10회 / 60일 · 10회 · 60일', '보너스 PT 2회 · 2회 · 30일', '인바디 상담']);
  fireEvent.change(bonus, { target: { value: '2' } });
  fireEvent.click(within(form).getByTestId('register-method-CARD'));
  fireEvent.click(within(form).getByTestId('register-submit'));
  const confirm = await screen.findByTestId('confirm-dialog');
  expect(confirm.textContent).toContain('판매 금액: 300,000원 (카드).');
  expect(confirm.textContent).toContain('보너스 보너스 PT 2회 이용권은 판매 금액 없이 드립니다.');
  fireEvent.click(within(confirm).getByTestId('confirm-cancel'));
  await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());

  fireEvent.change(select, { target: { value: '3' } });
  fireEvent.change(bonus, { target: { value: '' } });
  fireEvent.click(within(form).getByTestId('register-submit'));
  expect((await screen.findByTestId('confirm-dialog')).textContent).toContain('이 패키지는 가격이 없어 판매 금액이 기록되지 않습니다.');
  fireEvent.click(within(screen.getByTestId('confirm-dialog')).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'passes.register')).toEqual([{ userId: 'M1000020', packageSeq: 3, startedAt: expect.any(String) }]));
});

test('a sale of a package with a price asks how it was paid in a labelled choice, and says why the button waits until one is chosen; one with no price or at 0원 asks none and sends none; the confirmation says the method', async () => {
  const people = new Map<string, Person>([['M1000030', { userId: 'M1000030', userName: '윤슬기', phone: null, status: 'ACTIVE', memo: null, groups: [] }]]);
  const bridge = deskBridge(people, {
    'packages.list': () => [
      { packageSeq: 1, packageName: 'PT 10회 / 60일', count: 10, period: 60, retiredAt: null, price: 300_000 },
      { packageSeq: 3, packageName: '가격 미정', count: 5, period: 30, retiredAt: null, price: null },
      { packageSeq: 6, packageName: '인바디 상담', count: null, period: null, retiredAt: null, price: 0 },
    ],
    'passes.register': () => ({ passes: [] }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('윤슬기', 'M1000030');
  fireEvent.click(within(opened).getByTestId('register-open'));
  const form = await screen.findByTestId('register-form');
  const select = within(form).getByTestId('register-package') as HTMLSelectElement;
  await waitFor(() => expect(select.options).toHaveLength(4));
  const submit = within(form).getByTestId('register-submit') as HTMLButtonElement;
  /** the button is disabled exactly while a why is said beside it, and described by it */
  const why = () => {
    const note = within(form).queryByTestId('register-submit-why');
    expect(submit.disabled).toBe(note !== null);
    expect(submit.getAttribute('aria-describedby')).toBe(note?.id ?? null);
    return note?.textContent ?? null;
  };
  expect(within(form).queryByTestId('register-payment')).toBeNull();

  // a price: the choice, named for a screen reader, one radio button a method
  fireEvent.change(select, { target: { value: '1' } });
  const group = within(form).getByRole('group', { name: '결제 수단' });
  expect(within(group).getAllByRole('radio').map((r) => [(r as HTMLInputElement).value, r.closest('label')!.textContent])).toEqual([
    ['CARD', '카드'],
    ['CASH', '현금'],
    ['TRANSFER', '계좌이체'],
  ]);
  expect(new Set(within(group).getAllByRole('radio').map((r) => (r as HTMLInputElement).name)).size).toBe(1);
  expect(why()).toBe('결제 수단을 고르세요.');
  act(() => useLang.getState().setLang('en'));
  expect(why()).toBe('Choose how it was paid.');
  expect(within(form).getByRole('group', { name: 'Payment method' })).toBeTruthy();
  expect(within(form).getByRole('radio', { name: 'Bank transfer' })).toBeTruthy();
  act(() => useLang.getState().setLang('ko'));
  fireEvent.click(within(form).getByRole('radio', { name: '현금' }));
  expect(why()).toBeNull();
  fireEvent.click(submit);
  const confirm = await screen.findByTestId('confirm-dialog');
  expect(confirm.textContent).toContain('판매 금액: 300,000원 (현금).');
  fireEvent.click(within(confirm).getByTestId('confirm-cancel'));
  await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());

  // no price, or 0원: nothing is paid, so nothing is asked, and the button does not wait for it
  for (const [value, said] of [['3', '이 패키지는 가격이 없어 판매 금액이 기록되지 않습니다.'], ['6', '판매 금액: 0원.']] as const) {
    fireEvent.change(select, { target: { value } });
    expect(within(form).queryByTestId('register-payment')).toBeNull();
    expect(why()).toBeNull();
    fireEvent.click(submit);
    const asked = await screen.findByTestId('confirm-dialog');
    expect(asked.textContent).toContain(said);
    expect(asked.textContent).not.toContain('현금');
    fireEvent.click(within(asked).getByTestId('confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
  }
  fireEvent.click(submit);
  fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'passes.register')).toEqual([{ userId: 'M1000030', packageSeq: 6, startedAt: expect.any(String) }]));

  // sold again with a price: the method chosen is sent
  fireEvent.click(within(opened).getByTestId('register-open'));
  const again = await screen.findByTestId('register-form');
  fireEvent.change(within(again).getByTestId('register-package'), { target: { value: '1' } });
  fireEvent.click(within(again).getByTestId('register-method-TRANSFER'));
  fireEvent.click(within(again).getByTestId('register-submit'));
  const paid = await screen.findByTestId('confirm-dialog');
  expect(paid.textContent).toContain('판매 금액: 300,000원 (계좌이체).');
  fireEvent.click(within(paid).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'passes.register')[1]).toEqual({ userId: 'M1000030', packageSeq: 1, startedAt: expect.any(String), paymentMethod: 'TRANSFER' }));
});

test('a refusal about the method is said under the choice, and the packages are read again (a manager may have changed the price meanwhile)', async () => {
  const people = new Map<string, Person>([['M1000031', { userId: 'M1000031', userName: '문하람', phone: null, status: 'ACTIVE', memo: null, groups: [] }]]);
  const bridge = deskBridge(people, {
    'packages.list': () => [{ packageSeq: 1, packageName: 'PT 10회 / 60일', count: 10, period: 60, retiredAt: null, price: 300_000 }],
    'passes.register': () =>
      Promise.reject(new BridgeError('VALIDATION', { ko: '결제 수단: CARD(카드), CASH(현금), TRANSFER(계좌이체) 가운데 하나여야 합니다', en: 'paymentMethod: must be CARD (card), CASH (cash) or TRANSFER (bank transfer)' }, 'paymentMethod', 400)),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('문하람', 'M1000031');
  fireEvent.click(within(opened).getByTestId('register-open'));
  const form = await screen.findByTestId('register-form');
  await waitFor(() => expect((within(form).getByTestId('register-package') as HTMLSelectElement).options).toHaveLength(2));
  const listed = calls(bridge, 'packages.list').length;
  fireEvent.change(within(form).getByTestId('register-package'), { target: { value: '1' } });
  fireEvent.click(within(form).getByTestId('register-method-CARD'));
  fireEvent.click(within(form).getByTestId('register-submit'));
  fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-ok'));
  const group = within(form).getByTestId('register-payment');
  await waitFor(() => expect(group.querySelector('.field-error')?.textContent).toBe('결제 수단: CARD(카드), CASH(현금), TRANSFER(계좌이체) 가운데 하나여야 합니다'));
  expect(within(group).getByTestId('register-method-CARD').getAttribute('aria-invalid')).toBe('true');
  expect(within(form).queryByTestId('register-error')).toBeNull();
  await waitFor(() => expect(calls(bridge, 'packages.list').length).toBeGreaterThan(listed));
  // choosing again clears it
  fireEvent.click(within(form).getByTestId('register-method-CASH'));
  expect(group.querySelector('.field-error')).toBeNull();
});

test('the member\'s passes say how each sale was paid beside its price, under the package\'s name (in words, with its label for a screen reader); a sale from before methods were kept says its price only', async () => {
  const people = new Map<string, Person>([['M1000032', { userId: 'M1000032', userName: '배다온', phone: null, status: 'ACTIVE', memo: null, groups: [] }]]);
  const pass = (passSeq: number, price: number | null, paymentMethod: string | null) => ({
    passSeq, packageSeq: 1, packageName: 'PT 10회 / 60일', status: 'PROGRESSED', remainingCount: 5, startedAt: '2026-11-01T00:00:00.000Z', endedAt: '2026-12-31T15:00:00.000Z', expiredAt: null, bulkPassSeq: null, price,
    cancelledAt: null, refund: null, cancelReason: null, paymentMethod,
  });
  const bridge = deskBridge(people, {
    'members.passes': () => ({ ...detail(people.get('M1000032')!), passes: [pass(21, 300_000, 'CARD'), pass(22, 550_000, 'TRANSFER'), pass(23, 180_000, null), pass(24, null, null)] }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  const opened = await openMember('배다온', 'M1000032');
  // (the dot keeps to its word with a no-break space)
  const sold = () => within(opened).getAllByTestId('pass-row').map((r) => r.querySelector('.pass-price')?.textContent?.replace(/\u00a0/g, ' ') ?? null);
  expect(sold()).toEqual(['판매 금액 300,000원 · 결제 수단 카드', '판매 금액 550,000원 · 결제 수단 계좌이체', '판매 금액 180,000원', null]);
  expect(within(opened).getAllByTestId('pass-payment').map((c) => c.textContent)).toEqual(['결제 수단 카드', '결제 수단 계좌이체']);
  // what shows: the method beside the price, the labels for a screen reader only
  const visible = (node: Node): string => (node instanceof Element ? (node.classList.contains('visually-hidden') ? '' : [...node.childNodes].map(visible).join('')) : (node.textContent ?? ''));
  expect(visible(within(opened).getAllByTestId('pass-row')[0]!.querySelector('.pass-price')!).replace(/\u00a0/g, ' ')).toBe('300,000원 · 카드');
  act(() => useLang.getState().setLang('en'));
  expect(sold()[1]).toBe('Sold for ₩550,000 · Payment method Bank transfer');
  act(() => useLang.getState().setLang('ko'));
});
