// A schedule's time zone that is not a zone name is refused by the service in Korean as helpfully
// as in English: naming what was typed, the zone it was likely meant to be, and what to pick (the
// Korean said only 시간대가 올바르지 않습니다). Nothing reaches the scheduler.
import { expect, test } from 'vitest';
import { ServiceError } from '../../main/service/errors.ts';
import { updateSchedule, type ScheduleAdmin } from '../../main/service/schedules.ts';
import type { HandlerContext } from '../../main/service/context.ts';

const asked: string[] = [];
const admin = {
  list: async () => [],
  update: async (job: string) => {
    asked.push(job);
    throw new Error('the scheduler was asked');
  },
} as unknown as ScheduleAdmin;
const ctx = { actor: 'admin', timeZone: 'Asia/Seoul', now: new Date(), audit: async () => {} } as unknown as HandlerContext;

async function refusal(timeZone: string): Promise<ServiceError> {
  const error = await updateSchedule(ctx, admin, { job: 'expirePassesJob', timeZone }).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

test('"Seoul" as a schedule time zone is refused in both languages naming Asia/Seoul, at the timeZone field, without asking the scheduler', async () => {
  const error = await refusal('Seoul');
  expect(error.code).toBe('INVALID_TIME_ZONE');
  expect(error.field).toBe('timeZone');
  expect(error.text).toEqual({
    ko: '"Seoul"은 시간대 이름이 아닙니다. Asia/Seoul을 찾으셨나요? 시간대는 Asia/Seoul이나 UTC처럼 목록에 있는 이름으로 고르세요',
    en: '"Seoul" is not a time zone name; did you mean Asia/Seoul? Use one like Asia/Seoul or UTC, from the list',
  });
  expect(asked).toEqual([]);
});

test('a zone with no likely meaning ("Mars/Olympus", "KST+9") is refused naming it and what to pick, in both languages', async () => {
  expect((await refusal('Mars/Olympus')).text).toEqual({
    ko: '"Mars/Olympus"는 시간대 이름이 아닙니다. 시간대는 Asia/Seoul이나 UTC처럼 목록에 있는 이름으로 고르세요',
    en: '"Mars/Olympus" is not a time zone name; use one like Asia/Seoul or UTC, from the list',
  });
  expect((await refusal('new york')).text.en).toContain('did you mean America/New_York?');
  expect((await refusal('KST+9')).code).toBe('INVALID_TIME_ZONE');
  expect(asked).toEqual([]);
});
