// Times typed as a Korean gym reads them (renderer/src/lib/time24.ts): 24-hour, 9:30 read as
// 09:30, never AM or PM; a class whose end is earlier than its start ends on the next day.
import { describe, expect, test } from 'vitest';
import { classTimes, localDateTime, timeOfDay } from '../../../renderer/src/lib/time24.ts';

describe('timeOfDay', () => {
  test('a 24-hour time is read as HH:mm, a single-digit hour with a leading zero', () => {
    expect(timeOfDay('18:30')).toBe('18:30');
    expect(timeOfDay(' 9:05 ')).toBe('09:05');
    expect(timeOfDay('00:00')).toBe('00:00');
    expect(timeOfDay('23:59')).toBe('23:59');
  });

  test('what is not a 24-hour time is refused: 24:00, 12:60, AM or PM, no colon, empty', () => {
    for (const text of ['24:00', '12:60', '6:30 PM', '6:30PM', '1830', '18:3', '', '18:30:00']) expect(timeOfDay(text)).toBeNull();
  });
});

describe('localDateTime', () => {
  test('a date and 24-hour time is kept as datetime-local spells it, 9:30 as 09:30, a date alone as it is', () => {
    expect(localDateTime('2026-12-01T18:30')).toBe('2026-12-01T18:30');
    expect(localDateTime('2026-12-01T9:30')).toBe('2026-12-01T09:30');
    expect(localDateTime('2026-12-01T09:30:15')).toBe('2026-12-01T09:30:15');
    expect(localDateTime('2026-12-01')).toBe('2026-12-01');
  });

  test('a time that is not one, or no date, is refused', () => {
    for (const text of ['2026-12-01T24:00', '2026-12-01T18:60', '2026-12-01T6:30 PM', 'T18:30', '2026-12-01T', 'tomorrow', '']) expect(localDateTime(text)).toBeNull();
  });

  test('a day typed that is not one of the calendar, or in another form, is refused', () => {
    for (const text of ['2026-02-30T09:00', '2026-13-01', '12/07/2026T09:00', '2026-1-07T09:00']) expect(localDateTime(text)).toBeNull();
  });
});

describe('classTimes', () => {
  test('an end after the start is on the same day', () => {
    expect(classTimes('2026-12-01', '19:00', '20:00')).toEqual({ startedAt: '2026-12-01T19:00', endedAt: '2026-12-01T20:00', nextDay: false });
  });

  test('an end earlier than the start is on the next day, across a month and a year', () => {
    expect(classTimes('2026-12-01', '23:30', '0:30')).toEqual({ startedAt: '2026-12-01T23:30', endedAt: '2026-12-02T00:30', nextDay: true });
    expect(classTimes('2026-12-31', '22:00', '01:00')).toEqual({ startedAt: '2026-12-31T22:00', endedAt: '2027-01-01T01:00', nextDay: true });
    expect(classTimes('2028-02-28', '23:00', '00:15')).toMatchObject({ endedAt: '2028-02-29T00:15' });
  });

  test('an end equal to the start stays on the same day, for the service to refuse as not after the start', () => {
    expect(classTimes('2026-12-01', '19:00', '19:00')).toEqual({ startedAt: '2026-12-01T19:00', endedAt: '2026-12-01T19:00', nextDay: false });
  });

  test('no date, or a start or end that is not a 24-hour time, names the field to fix', () => {
    expect(classTimes('', '19:00', '20:00')).toEqual({ problem: 'day' });
    expect(classTimes('2026-02-30', '19:00', '20:00')).toEqual({ problem: 'day' });
    expect(classTimes('12/07/2026', '19:00', '20:00')).toEqual({ problem: 'day' });
    expect(classTimes('2026-12-01', '7:00 PM', '20:00')).toEqual({ problem: 'start' });
    expect(classTimes('2026-12-01', '19:00', '25:00')).toEqual({ problem: 'end' });
  });
});
