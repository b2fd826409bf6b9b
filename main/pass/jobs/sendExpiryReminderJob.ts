// 만료 예정 알림 발송: (a) READY or PROGRESSED passes that end within `days` days, or have one
// use left, get one EXPIRY_REMINDER row per reason (target_key pass:<seq>:ENDING or
// pass:<seq>:LAST_USE; insert-ignore, so once per pass and reason however often this runs);
// (b) the unsent rows are sent by the same step as the class reminders.
import { DateTime } from 'luxon';
import { batchInsertWriter, chunkStep, dateTimeParam, defineJob, fromDbTime, keysetReader, numberParam, toDbTime, type ValuesOf } from '../../batch/index.ts';
import { sendNotificationsStep, sendParams } from '../notify/sendStep.ts';
import type { NewNotification } from '../schema.ts';
import { messengerUuid } from './sendNotificationBeforeClassJob.ts';

const params = {
  now: dateTimeParam({ default: 'now' }),
  days: numberParam({
    default: 3,
    min: 0,
    max: 365,
    description: { ko: '종료일까지 며칠 남은 이용권에 알릴지', en: 'Remind of passes ending within this many days' },
  }),
  ...sendParams,
};
type Params = ValuesOf<typeof params>;

type PassDue = {
  pass_seq: number;
  user_id: string;
  remaining_count: number | null;
  ended_at: string | null;
  package_name: string | null;
  user_name: string | null;
  meta: string | null;
};

export type ReminderReason = 'ENDING' | 'LAST_USE';

const when = (at: Date, timeZone: string) => DateTime.fromJSDate(at, { zone: timeZone }).setLocale('ko').toFormat('yyyy년 M월 d일(ccc) HH:mm');

/** What is left and until when, in the gym's time zone, in GLOSSARY.md's words. */
export function expiryReminderText(pass: PassDue, reason: ReminderReason, timeZone: string): string {
  const who = `${pass.user_name ?? '회원'}님`;
  const name = pass.package_name ? `[${pass.package_name}] 이용권` : '이용권';
  const left = pass.remaining_count === null ? '무제한' : `${pass.remaining_count}회`;
  const ends = pass.ended_at === null ? null : fromDbTime(pass.ended_at);
  if (reason === 'ENDING') return `${who}, ${name}이 ${when(ends!, timeZone)}에 종료됩니다. 잔여 횟수: ${left}.`;
  return `${who}, ${name}의 잔여 횟수가 1회 남았습니다. ${ends ? `${when(ends, timeZone)}까지 사용할 수 있습니다.` : '기간 제한 없이 사용할 수 있습니다.'}`;
}

export const sendExpiryReminderJob = defineJob({
  name: 'sendExpiryReminderJob',
  title: { ko: '만료 예정 알림 발송', en: 'Send expiry reminders' },
  params,
  steps: [
    chunkStep<Params, PassDue, PassDue>({
      name: 'createExpiryRemindersStep',
      title: { ko: '만료 예정 알림 만들기', en: 'Create expiry reminders' },
      chunkSize: 500,
      reader: ({ db, params }) => {
        const now = toDbTime(params.now);
        const horizon = toDbTime(new Date(params.now.getTime() + params.days * 86_400_000));
        return keysetReader<PassDue>({
          db: db.kysely,
          query: (k) =>
            k
              .selectFrom('pass')
              .leftJoin('package', 'package.package_seq', 'pass.package_seq')
              .leftJoin('user', 'user.user_id', 'pass.user_id')
              .select(['pass.pass_seq', 'pass.user_id', 'pass.remaining_count', 'pass.ended_at', 'package.package_name', 'user.user_name', 'user.meta'])
              .where('pass.status', 'in', ['READY', 'PROGRESSED'])
              .where((eb) =>
                eb.or([
                  eb.and([eb('pass.ended_at', '>', now), eb('pass.ended_at', '<=', horizon)]),
                  eb('pass.remaining_count', '=', 1),
                ]),
              ),
          key: 'pass_seq',
          keyColumn: 'pass.pass_seq',
          count: true,
        });
      },
      writer: ({ db, params, timeZone }) => {
        const insert = batchInsertWriter<{ pass: PassDue; reason: ReminderReason }>({
          table: 'notification',
          dialect: db.dialect,
          ignoreDuplicates: true,
          row: ({ pass, reason }): NewNotification => ({
            event: 'EXPIRY_REMINDER',
            target_key: `pass:${pass.pass_seq}:${reason}`,
            pass_seq: Number(pass.pass_seq),
            user_id: pass.user_id,
            uuid: messengerUuid(pass.meta),
            text: expiryReminderText(pass, reason, timeZone),
          }),
        });
        const horizon = params.now.getTime() + params.days * 86_400_000;
        const reasons = (pass: PassDue): ReminderReason[] => {
          const ends = pass.ended_at === null ? null : fromDbTime(pass.ended_at).getTime();
          return [
            ...(ends !== null && ends > params.now.getTime() && ends <= horizon ? (['ENDING'] as const) : []),
            ...(pass.remaining_count !== null && Number(pass.remaining_count) === 1 ? (['LAST_USE'] as const) : []),
          ];
        };
        return { write: (passes, tx) => insert.write(passes.flatMap((pass) => reasons(pass).map((reason) => ({ pass, reason }))), tx) };
      },
    }),
    sendNotificationsStep({ name: 'sendExpiryRemindersStep', title: { ko: '만료 예정 알림 보내기', en: 'Send expiry reminders' }, event: 'EXPIRY_REMINDER' }),
  ],
});
