// A member file's row is checked whole: every problem of the row is said (the first only made the
// desk fix, import, and be refused again for the next), in Korean with the particle its word takes
// ("없는패키지"가, not "없는패키지"이(가)), and a row with no problem still imports as before.
import { expect, test } from 'vitest';
import { checkRow, type Lookups } from '../../main/pass/imports/memberRows.ts';
import type { ColumnMapping } from '../../main/pass/imports/memberFile.ts';

const mapping: ColumnMapping = { id: 0, name: 1, phone: 2, group: 3, package: 4, remaining: 5, start: 6, end: 7 };
const lookups: Lookups = {
  packages: new Map([['요가 10회', { packageSeq: 7, count: 10, period: 60 }]]),
  groups: new Map(),
};
const check = (cells: string[]) => checkRow({ row: 4, cells }, mapping, lookups, 'Asia/Seoul');

test('a row with an empty name, a bad phone, an unknown package and a start that is no date is refused naming all four, in the order of its columns', () => {
  expect(check(['M1', '', '02-12', '', '없는패키지', '', '2026-13-40', ''])).toEqual({
    ok: false,
    reason: {
      ko: '이름이 비어 있습니다; 전화번호 "02-12"는 전화번호 형식이 아닙니다; 패키지 "없는패키지"가 없습니다. 패키지 이름을 확인하세요; 시작일 "2026-13-40"은 날짜가 아닙니다 (예: 2026-03-01)',
      en: 'The name is empty; "02-12" is not a phone number; There is no package named "없는패키지"; check its name; Start "2026-13-40" is not a date (like 2026-03-01)',
    },
  });
});

test('the Korean particle follows the word: 이 after a final consonant, 가 after a vowel; 은 or 는 likewise', () => {
  const ko = (cells: string[]) => {
    const outcome = check(cells);
    return outcome.ok ? null : outcome.reason.ko;
  };
  expect(ko(['M1', '가', '010-1234-5678', '', '요가 무제한', '', '2026-03-01', ''])).toBe('패키지 "요가 무제한"이 없습니다. 패키지 이름을 확인하세요');
  expect(ko(['M1', '가', '010-1234-5678', '', '필라테스', '', '2026-03-01', ''])).toBe('패키지 "필라테스"가 없습니다. 패키지 이름을 확인하세요');
  expect(ko(['M1', '가', '0103', '', '', '', '', ''])).toBe('전화번호 "0103"은 전화번호 형식이 아닙니다');
  expect(ko(['M1', '가', '010-1234-5678', '', '요가 10회', '열', '2026-03-01', ''])).toBe('잔여횟수 "열"은 0 이상의 정수가 아닙니다');
  expect(ko(['M1', '가', '010-1234-5678', '', '요가 10회', '', '2026-03-01', '어제'])).toBe('종료일 "어제"는 날짜가 아닙니다 (예: 2026-05-31)');
  expect(ko(['M1', '가', '010-1234-5678', '가나다라마바사아자차카타파하가나다라마바사', '', '', '', ''])).toBe('그룹 "가나다라마바사아자차카타파하가나다라마바사"가 없고, 새 그룹 이름으로는 20자를 넘습니다');
});

test('a good row still imports with its pass, and an end before the start is still refused', () => {
  expect(check(['M1', '가나다', '010-1234-5678', '', '요가 10회', '3', '2026-03-01', '2026-03-31'])).toEqual({
    ok: true,
    member: {
      row: 4, userId: 'M1', userName: '가나다', phone: '01012345678', groups: [],
      pass: { packageSeq: 7, remainingCount: 3, startedAt: new Date('2026-02-28T15:00:00.000Z'), endedAt: new Date('2026-03-31T15:00:00.000Z') },
    },
  });
  const noEnd = check(['M1', '가나다', '010-1234-5678', '', '요가 10회', '', '2026-03-01', '']);
  expect(noEnd.ok && noEnd.member?.pass).toEqual({ packageSeq: 7, remainingCount: 10, startedAt: new Date('2026-02-28T15:00:00.000Z'), endedAt: new Date('2026-04-29T15:00:00.000Z') });
  expect(check(['M1', '가나다', '010-1234-5678', '', '요가 10회', '', '2026-03-10', '2026-03-01'])).toEqual({ ok: false, reason: { ko: '종료일이 시작일보다 앞섭니다', en: 'The end date is before the start date' } });
  expect(check(['', '가나다', '', '', '', '', '', ''])).toEqual({ ok: false, reason: { ko: '회원번호와 전화번호가 모두 비어 있습니다', en: 'Both the member id and the phone are empty' } });
});
