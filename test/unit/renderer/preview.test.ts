// The bulk grant's preview sentence.
import { describe, expect, test } from 'vitest';
import { grantPreview } from '../../../renderer/src/lib/preview.ts';
import { grantInput, EMPTY_FORM } from '../../../renderer/src/stores/bulkGrants.ts';

describe('grantPreview', () => {
  const base = { startedAt: '2026-12-01T09:00', packageName: '필라테스 1회권', groupName: '전체 회원', memberCount: 1204 };

  test('says when, who and what, in Korean', () => {
    expect(grantPreview(base, 'ko')).toBe('2026년 12월 1일 09:00에 전체 회원 1,204명에게 필라테스 1회권');
  });

  test('and in English', () => {
    expect(grantPreview(base, 'en')).toBe('On Dec 1, 2026, 09:00, 1,204 members of 전체 회원 get 필라테스 1회권');
  });

  test('names the count and the end when they override the package', () => {
    expect(grantPreview({ ...base, count: 3, endedAt: '2026-12-31T23:59' }, 'ko')).toBe('2026년 12월 1일 09:00에 전체 회원 1,204명에게 필라테스 1회권 (3회), 2026년 12월 31일 23:59까지');
    expect(grantPreview({ ...base, count: 3 }, 'en')).toBe('On Dec 1, 2026, 09:00, 1,204 members of 전체 회원 get 필라테스 1회권 (3 uses)');
  });

  test('is absent until the form has what it needs', () => {
    expect(grantPreview({ ...base, startedAt: '' }, 'ko')).toBeNull();
    expect(grantPreview({ ...base, packageName: '' }, 'ko')).toBeNull();
    expect(grantPreview({ ...base, startedAt: 'not a date' }, 'ko')).toBeNull();
  });
});

describe('grantInput', () => {
  test('turns the form into the operation input, leaving blanks out', () => {
    expect(grantInput({ ...EMPTY_FORM, packageSeq: '5', userGroupId: 'ALL', startedAt: '2026-12-01T09:00' })).toEqual({
      input: { packageSeq: 5, userGroupId: 'ALL', startedAt: '2026-12-01T09:00' },
    });
    expect(grantInput({ packageSeq: '5', userGroupId: 'ALL', startedAt: '2026-12-01T09:00', count: '3', endedAt: '2026-12-31T23:59' })).toEqual({
      input: { packageSeq: 5, userGroupId: 'ALL', startedAt: '2026-12-01T09:00', count: 3, endedAt: '2026-12-31T23:59' },
    });
  });

  test('names the first missing or wrong field', () => {
    expect(grantInput(EMPTY_FORM)).toEqual({ missing: 'packageSeq' });
    expect(grantInput({ ...EMPTY_FORM, packageSeq: '5' })).toEqual({ missing: 'userGroupId' });
    expect(grantInput({ ...EMPTY_FORM, packageSeq: '5', userGroupId: 'ALL', startedAt: 'x', count: '0' })).toEqual({ missing: 'count' });
  });

  test('reads a time typed as 9:30 as 09:30, and names a time that is not a 24-hour time as invalid', () => {
    expect(grantInput({ ...EMPTY_FORM, packageSeq: '5', userGroupId: 'ALL', startedAt: '2026-12-01T9:30', endedAt: '2026-12-31T18:30' })).toEqual({
      input: { packageSeq: 5, userGroupId: 'ALL', startedAt: '2026-12-01T09:30', endedAt: '2026-12-31T18:30' },
    });
    expect(grantInput({ ...EMPTY_FORM, packageSeq: '5', userGroupId: 'ALL', startedAt: '2026-12-01T6:30 PM' })).toEqual({ invalid: 'startedAt' });
    expect(grantInput({ ...EMPTY_FORM, packageSeq: '5', userGroupId: 'ALL', startedAt: '2026-12-01T18:30', endedAt: '2026-12-31T25:00' })).toEqual({ invalid: 'endedAt' });
  });
});
