// Korean messages made in the main process pick the particle the word before them needs
// ("#3이", "#4가", "4를"), as the screens' words do, instead of "이(가)" / "을(를)".
import { describe, expect, test } from 'vitest';
import { textsFor } from '../../main/electron/menus.ts';
import { notFound } from '../../main/service/errors.ts';

describe('Korean particles in the main process', () => {
  test('a missing thing is named with 을 or 를 as its last sound needs', () => {
    expect(notFound({ ko: '이용권 일괄 지급 4', en: 'Bulk grant 4' }, 'bulkPassSeq').text.ko).toBe('이용권 일괄 지급 4를 찾을 수 없습니다.');
    expect(notFound({ ko: '회원 M1000003', en: 'Member M1000003' }).text.ko).toBe('회원 M1000003을 찾을 수 없습니다.');
    expect(notFound({ ko: '보고서', en: 'Report' }).text.ko).toBe('보고서를 찾을 수 없습니다.');
    expect(notFound({ ko: '보고서', en: 'Report' }).text.en).toBe('Report was not found.');
  });

  test("the desktop's job-failed notice says 이 or 가 after the execution's number", () => {
    expect(textsFor('ko').jobFailedBody(3, '')).toBe('실행 #3이 실패했습니다. 작업 실행 화면에서 재시작할 수 있습니다.');
    expect(textsFor('ko').jobFailedBody(4, 'ENOTDIR')).toBe('실행 #4가 실패했습니다. ENOTDIR 작업 실행 화면에서 재시작할 수 있습니다.');
  });
});
