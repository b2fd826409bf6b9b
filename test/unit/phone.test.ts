// Korean phone numbers have one spelling in the database (main/pass/phone.ts): the desk's and the
// old program's spellings of one number come out as the seed's digits.
import { describe, expect, test } from 'vitest';
import { formatPhone, lastFourDigits, normalizePhone } from '../../main/pass/phone.ts';

describe('phone numbers', () => {
  test('the spellings a desk types for one mobile number all come out as the seed stores it', () => {
    for (const typed of ['010-1234-5678', '01012345678', '+82 10 1234 5678', '+82-10-1234-5678', '+82 (0)10 1234 5678', '0082 10 1234 5678', ' 010.1234.5678 ', '010 1234 5678', '０１０－１２３４－５６７８']) {
      expect(normalizePhone(typed), typed).toBe('01012345678');
    }
  });

  test('landlines and old mobile prefixes keep their length, and a foreign number keeps its country code', () => {
    expect(normalizePhone('02-123-4567')).toBe('021234567');
    expect(normalizePhone('031-1234-5678')).toBe('03112345678');
    expect(normalizePhone('011-123-4567')).toBe('0111234567');
    expect(normalizePhone('+1 (415) 555-0100')).toBe('+14155550100');
  });

  test('text that is no phone number is refused, not stored half-cleaned', () => {
    for (const typed of ['', '1234', '010-1234', 'abc', '010-1234-5678 ext 2', '+82', '+0 123 4567 890', '0101234567890123', '010\u200b12345678']) {
      expect(normalizePhone(typed), typed).toBeNull();
    }
  });

  test('the last four digits are what a Korean desk asks for', () => {
    expect(lastFourDigits('01012345678')).toBe('5678');
    expect(lastFourDigits('010-1234-5678')).toBe('5678');
    expect(lastFourDigits('123')).toBeNull();
    expect(lastFourDigits(null)).toBeNull();
  });

  test('a stored number is shown with the hyphens a Korean reader expects', () => {
    expect(formatPhone('01012345678')).toBe('010-1234-5678');
    expect(formatPhone('021234567')).toBe('02-123-4567');
    expect(formatPhone('15881234')).toBe('1588-1234');
    expect(formatPhone('+14155550100')).toBe('+14155550100');
  });
});
