// The new-member form's hint under the member id says, in Korean and in English alike, what the
// service takes (members.create's schema): letters of any alphabet, Korean ones too, and digits,
// ".", "_" and "-", 20 characters at most.
import { describe, expect, test } from 'vitest';
import { SCHEMA_MESSAGES } from '../../../main/service/contract/inputs.ts';
import { operations } from '../../../main/service/contract/operations.ts';
import { WORDS } from '../../../renderer/src/i18n/words.ts';

const takes = (userId: string) => operations['members.create'].input.safeParse({ userId, userName: '김민수' }).success;

describe('the member-id hint', () => {
  test('the service takes Korean letters, Latin letters, digits, ".", "_" and "-", up to 20 characters, and nothing else', () => {
    expect(['한바다_01', 'kim.min-su', 'M1000041', 'Ünal-7'].filter(takes)).toEqual(['한바다_01', 'kim.min-su', 'M1000041', 'Ünal-7']);
    expect(['kim min', 'kim@gym', 'a/b', 'x'.repeat(21)].filter(takes)).toEqual([]);
    expect(takes('가'.repeat(20))).toBe(true);
  });

  test('says so in both languages: Korean letters are allowed, at most 20 characters, and only ".", "_" and "-" besides letters and digits', () => {
    const { ko, en } = WORDS.memberIdHint;
    expect(ko).toContain('한글');
    expect(en).toContain('Korean');
    expect(ko).toContain('20자');
    expect(en).toContain('20 characters');
    for (const mark of ['.', '_', '-']) {
      expect(ko).toContain(mark);
      expect(en).toContain(`"${mark}"`);
    }
  });

  test('a refused id is told the same rule, Korean letters included, in both languages', () => {
    const refusal = operations['members.create'].input.safeParse({ userId: 'kim min', userName: '김민수' });
    expect(refusal.success).toBe(false);
    const en = refusal.error!.issues[0]!.message;
    expect(en).toContain('Korean');
    expect(Object.values(SCHEMA_MESSAGES).find((m) => m.en === en)?.ko).toContain('한글');
  });
});
