// How another application's rows keep their times (Spring Batch itself, on an adopted schema):
// SQLite instants as epoch milliseconds, MySQL its JVM zone's wall clock; a value that reads as
// no time is left out rather than break a list.
import { describe, expect, test } from 'vitest';
import { foreignTimes } from '../../main/batch/database/dialect.ts';

const instant = new Date('2026-11-29T09:00:04.500Z');

describe('foreignTimes', () => {
  test('MySQL: the wall clock of the given zone, both ways', () => {
    const seoul = foreignTimes('mysql', 'Asia/Seoul');
    expect(seoul.write(instant)).toBe('2026-11-29 18:00:04.500');
    expect(seoul.read('2026-11-29 18:00:04.500000')).toEqual(instant);
    expect(seoul.read('2026-11-29 18:00:04')).toEqual(new Date('2026-11-29T09:00:04.000Z'));
    expect(foreignTimes('mysql', 'UTC').read('2026-11-29 18:00:04.500')).toEqual(new Date('2026-11-29T18:00:04.500Z'));
  });

  test('SQLite: epoch milliseconds, also when a TEXT column turned them into digits', () => {
    const times = foreignTimes('sqlite', 'Asia/Seoul');
    expect(times.write(instant)).toBe(instant.getTime());
    expect(times.read(instant.getTime())).toEqual(instant);
    expect(times.read(String(instant.getTime()))).toEqual(instant);
    expect(times.read(`${instant.getTime()}.0`)).toEqual(instant);
    expect(times.read('2026-11-29 09:00:04.500')).toEqual(instant);
  });

  test('no time, or nothing that reads as one: null', () => {
    for (const dialect of ['mysql', 'sqlite'] as const) {
      const times = foreignTimes(dialect, 'Asia/Seoul');
      expect(times.read(null)).toBeNull();
      expect(times.read(undefined)).toBeNull();
      expect(times.read('yesterday')).toBeNull();
    }
  });
});
