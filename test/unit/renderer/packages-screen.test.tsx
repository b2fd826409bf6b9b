// @vitest-environment happy-dom
// The Packages screen, a manager's: a package made in a dialog (uses or unlimited, days or no
// end), one changed only after a confirmation that says the passes already sold keep theirs, one
// taken off sale after a confirmation that says what stays and put back on sale; a refused name
// said under its field; uses that are no whole number said before anything is sent; a price typed
// with or without commas, shown in won, said under its field when it is none, removed by clearing
// it. And the desk's pass sale offers only what is on sale, each with its price.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useMembers } from '../../../renderer/src/stores/members.ts';
import { usePackages } from '../../../renderer/src/stores/packages.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

interface Pkg {
  packageSeq: number;
  packageName: string;
  count: number | null;
  period: number | null;
  retiredAt: string | null;
  price: number | null;
}

function gym(list: Pkg[]) {
  let next = 100;
  const find = (seq: number) => list.find((p) => p.packageSeq === seq)!;
  return fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'packages.list': () => list.map((p) => ({ ...p })),
    'packages.create': (input: Omit<Pkg, 'packageSeq' | 'retiredAt' | 'price'> & { price?: number | null }) => {
      if (list.some((p) => p.packageName === input.packageName.trim())) {
        throw new BridgeError('CONFLICT', { ko: `'${input.packageName.trim()}' 패키지가 이미 있습니다. 다른 이름을 쓰세요.`, en: `There is already a package called '${input.packageName.trim()}'. Choose another name.` }, 'packageName', 409);
      }
      const made = { ...input, packageName: input.packageName.trim(), packageSeq: ++next, retiredAt: null, price: input.price ?? null };
      list.push(made);
      return made;
    },
    'packages.update': ({ packageSeq, ...change }: Partial<Pkg> & { packageSeq: number }) => Object.assign(find(packageSeq), change),
    'packages.retire': ({ packageSeq }: { packageSeq: number }) => Object.assign(find(packageSeq), { retiredAt: '2026-12-07T03:00:00.000Z', price: null }),
    'packages.restore': ({ packageSeq }: { packageSeq: number }) => Object.assign(find(packageSeq), { retiredAt: null, price: null }),
  });
}

const calls = (bridge: ReturnType<typeof fakeBridge>, operation: string) => bridge.calls.filter((c) => c.operation === operation).map((c) => c.input);
const rows = () => screen.getAllByTestId('package-row').map((r) => [r.querySelector('[data-testid=package-name]')!.textContent, r.querySelector('[data-testid=package-uses]')!.textContent, r.querySelector('[data-testid=package-days]')!.textContent, r.dataset.onSale]);
const row = (name: string) => screen.getAllByTestId('package-row').find((r) => r.querySelector('[data-testid=package-name]')!.textContent === name)!;

async function openScreen(bridge: ReturnType<typeof fakeBridge>) {
  await signInWith(bridge, 'manager');
  act(() => useUi.getState().go('packages'));
  await screen.findAllByTestId('package-row', {}, { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
}

beforeEach(() => {
  signedOut();
  useLang.setState({ lang: 'ko' });
  usePackages.setState({ packages: { state: 'idle' } });
  useMembers.setState({ packages: { state: 'idle' } });
});
afterEach(cleanup);

test('a manager makes a package from the dialog: the uses typed and no end are sent, the new package is listed in words, and the message names it', async () => {
  const bridge = gym([{ packageSeq: 1, packageName: 'PT 10회 / 60일', count: 10, period: 60, retiredAt: null, price: null }]);
  await openScreen(bridge);
  expect(screen.getByTestId('packages-intro').textContent).toContain('이미 판 이용권은 그대로입니다');
  fireEvent.click(screen.getByTestId('package-new'));
  const form = await screen.findByTestId('package-form');
  const submit = within(form).getByTestId('package-form-submit') as HTMLButtonElement;
  expect(submit.disabled).toBe(true);
  expect(within(form).getByTestId('package-form-submit-why').textContent).toBe('패키지 이름을 쓰세요.');
  fireEvent.change(within(form).getByTestId('package-form-name'), { target: { value: ' 필라테스 8회 ' } });
  fireEvent.change(within(form).getByTestId('package-form-uses'), { target: { value: '8' } });
  fireEvent.click(within(form).getByTestId('package-form-days-none'));
  expect((within(form).getByTestId('package-form-days') as HTMLInputElement).disabled).toBe(true);
  fireEvent.click(submit);

  await waitFor(() => expect(calls(bridge, 'packages.create')).toEqual([{ packageName: ' 필라테스 8회 ', count: 8, period: null }]));
  await waitFor(() => expect(screen.queryByTestId('package-form')).toBeNull());
  await waitFor(() => expect(rows()).toEqual([
    ['PT 10회 / 60일', '10회', '60일', 'yes'],
    ['필라테스 8회', '8회', '기한 없음', 'yes'],
  ]));
  expect(screen.getByText("'필라테스 8회' 패키지를 만들었습니다.")).toBeTruthy();
});

test("changing a package's uses asks first, saying the passes already sold keep theirs: Cancel sends nothing, Save sends only what changed", async () => {
  const bridge = gym([{ packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: null }]);
  await openScreen(bridge);
  fireEvent.click(within(row('PT 10회')).getByTestId('package-edit'));
  const form = await screen.findByTestId('package-form');
  const submit = within(form).getByTestId('package-form-submit') as HTMLButtonElement;
  expect(submit.disabled).toBe(true);
  expect(within(form).getByTestId('package-form-submit-why').textContent).toBe('바뀐 내용이 없습니다.');
  fireEvent.change(within(form).getByTestId('package-form-uses'), { target: { value: '12' } });
  fireEvent.click(submit);
  const confirm = await screen.findByTestId('confirm-dialog');
  expect(confirm.textContent).toContain("'PT 10회' 패키지를 12회 · 60일로 바꿀까요?");
  expect(confirm.textContent).toContain('이미 판 이용권은 그대로입니다');
  fireEvent.click(within(confirm).getByTestId('confirm-cancel'));
  await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
  expect(calls(bridge, 'packages.update')).toEqual([]);

  fireEvent.click(submit);
  fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'packages.update')).toEqual([{ packageSeq: 1, count: 12 }]));
  await waitFor(() => expect(rows()).toEqual([['PT 10회', '12회', '60일', 'yes']]));
});

test('taking a package off sale asks first and says what stays; the row then says since when, is listed last, and Put back on sale brings it back', async () => {
  const bridge = gym([
    { packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: null },
    { packageSeq: 2, packageName: '여름 특가', count: 5, period: 20, retiredAt: null, price: null },
    { packageSeq: 3, packageName: '자유 이용', count: null, period: 30, retiredAt: null, price: null },
  ]);
  await openScreen(bridge);
  fireEvent.click(within(row('여름 특가')).getByTestId('package-retire'));
  const confirm = await screen.findByTestId('confirm-dialog');
  expect(confirm.textContent).toContain("'여름 특가' 패키지의 판매를 멈출까요? 이미 판 이용권과 이 패키지를 받는 수업은 그대로이고");
  fireEvent.click(within(confirm).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'packages.retire')).toEqual([{ packageSeq: 2 }]));
  await waitFor(() => expect(rows().map((r) => [r[0], r[3]])).toEqual([['PT 10회', 'yes'], ['자유 이용', 'yes'], ['여름 특가', 'no']]));
  expect(within(row('여름 특가')).getByTestId('package-status').textContent).toBe('2026. 12. 7.부터 판매 중지');
  expect(screen.getByText("'여름 특가' 패키지의 판매를 멈췄습니다.")).toBeTruthy();

  fireEvent.click(within(row('여름 특가')).getByTestId('package-restore'));
  await waitFor(() => expect(calls(bridge, 'packages.restore')).toEqual([{ packageSeq: 2 }]));
  await waitFor(() => expect(row('여름 특가').dataset.onSale).toBe('yes'));
});

test('a name the service refuses is said under the name field in the screen’s language, the dialog keeps what was typed, and uses that are no whole number are said before anything is sent', async () => {
  const bridge = gym([{ packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: null }]);
  await openScreen(bridge);
  fireEvent.click(screen.getByTestId('package-new'));
  const form = await screen.findByTestId('package-form');
  const name = within(form).getByTestId('package-form-name') as HTMLInputElement;
  const uses = within(form).getByTestId('package-form-uses') as HTMLInputElement;
  const errorsIn = () => [...form.querySelectorAll('.field-error')].map((e) => e.textContent);
  fireEvent.change(name, { target: { value: 'PT 10회' } });
  for (const typed of ['0', '2.5', '10000']) {
    fireEvent.change(uses, { target: { value: typed } });
    fireEvent.click(within(form).getByTestId('package-form-submit'));
    await waitFor(() => expect(errorsIn()).toEqual(['횟수는 1부터 9999까지의 정수로 쓰거나 횟수 무제한을 고르세요.']));
    expect(uses.getAttribute('aria-invalid')).toBe('true');
  }
  expect(calls(bridge, 'packages.create')).toEqual([]);

  fireEvent.change(uses, { target: { value: '10' } });
  expect(errorsIn()).toEqual([]);
  fireEvent.click(within(form).getByTestId('package-form-submit'));
  await waitFor(() => expect(errorsIn()).toEqual(["'PT 10회' 패키지가 이미 있습니다. 다른 이름을 쓰세요."]));
  expect(name.value).toBe('PT 10회');
  fireEvent.click(screen.getByTestId('lang-en'));
  await waitFor(() => expect(errorsIn()).toEqual(["There is already a package called 'PT 10회'. Choose another name."]));
  expect(name.value).toBe('PT 10회');
});

test("the desk's pass sale offers only the packages on sale", async () => {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'packages.list': () => [
      { packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: null },
      { packageSeq: 2, packageName: '지난 특가', count: 5, period: 20, retiredAt: '2026-12-01T00:00:00.000Z', price: null },
    ],
    'groups.list': () => [],
    'members.search': () => ({ members: [{ userId: 'M1', userName: '오지민', phone: null, status: 'ACTIVE', livePasses: 0, memo: null, createdAt: '2026-12-01T00:00:00.000Z' }], total: 1, next: null }),
    'members.passes': () => ({
      member: { userId: 'M1', userName: '오지민', phone: null, status: 'ACTIVE', livePasses: 0, memo: null, createdAt: '2026-12-01T00:00:00.000Z' },
      groups: [],
      passes: [],
      bookings: [],
      upcoming: { bookings: 0, waitlist: 0 },
    }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  fireEvent.change(await screen.findByTestId('member-query', {}, { timeout: 15_000 }), { target: { value: '오지민' } });
  fireEvent.click(screen.getByTestId('member-search'));
  fireEvent.click(await screen.findByTestId('member-result', {}, { timeout: 15_000 }));
  fireEvent.click(await screen.findByTestId('register-open'));
  const select = (await screen.findByTestId('register-package')) as HTMLSelectElement;
  await waitFor(() => expect([...select.options].map((o) => o.textContent)).toEqual(['–', 'PT 10회 · 10회 · 60일']));
});

const prices = () => screen.getAllByTestId('package-row').map((r) => [r.querySelector('[data-testid=package-name]')!.textContent, r.querySelector('[data-testid=package-price]')!.textContent]);

test('a price typed with commas is sent as whole won and the list shows it in won, in both languages; a package without one says so', async () => {
  const bridge = gym([{ packageSeq: 1, packageName: '인바디 상담', count: null, period: null, retiredAt: null, price: null }]);
  await openScreen(bridge);
  fireEvent.click(screen.getByTestId('package-new'));
  const form = await screen.findByTestId('package-form');
  fireEvent.change(within(form).getByTestId('package-form-name'), { target: { value: 'PT 10회 / 60일' } });
  fireEvent.change(within(form).getByTestId('package-form-days'), { target: { value: '60' } });
  fireEvent.change(within(form).getByTestId('package-form-price'), { target: { value: '300,000' } });
  fireEvent.click(within(form).getByTestId('package-form-submit'));
  await waitFor(() => expect(calls(bridge, 'packages.create')).toEqual([{ packageName: 'PT 10회 / 60일', count: 10, period: 60, price: 300_000 }]));
  await waitFor(() => expect(prices()).toEqual([['인바디 상담', '가격 없음'], ['PT 10회 / 60일', '300,000원']]));
  fireEvent.click(screen.getByTestId('lang-en'));
  await waitFor(() => expect(prices()).toEqual([['인바디 상담', 'No price'], ['PT 10회 / 60일', '₩300,000']]));
});

test('a price that is no whole number of won up to 100,000,000 is said under the price field and nothing is sent; a price cleared is removed after a confirmation that says so', async () => {
  const bridge = gym([{ packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: 300_000 }]);
  await openScreen(bridge);
  fireEvent.click(within(row('PT 10회')).getByTestId('package-edit'));
  const form = await screen.findByTestId('package-form');
  const price = within(form).getByTestId('package-form-price') as HTMLInputElement;
  expect(price.value).toBe('300000');
  const errorsIn = () => [...form.querySelectorAll('.field-error')].map((e) => e.textContent);
  for (const typed of ['12.5', '-1', '100000001', '3만', '30,00']) {
    fireEvent.change(price, { target: { value: typed } });
    fireEvent.click(within(form).getByTestId('package-form-submit'));
    await waitFor(() => expect(errorsIn()).toEqual(['가격은 0원부터 100,000,000원까지 숫자로만 쓰세요 (예: 300000 또는 300,000). 가격이 없으면 비워 두세요.']));
    expect(price.getAttribute('aria-invalid')).toBe('true');
  }
  expect(calls(bridge, 'packages.update')).toEqual([]);

  fireEvent.change(price, { target: { value: '' } });
  expect(errorsIn()).toEqual([]);
  fireEvent.click(within(form).getByTestId('package-form-submit'));
  const confirm = await screen.findByTestId('confirm-dialog');
  expect(confirm.textContent).toContain("'PT 10회' 패키지를 10회 · 60일 · 가격 없음으로 바꿀까요?");
  fireEvent.click(within(confirm).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'packages.update')).toEqual([{ packageSeq: 1, price: null }]));
  await waitFor(() => expect(prices()).toEqual([['PT 10회', '가격 없음']]));
});
