// 예약 실행 through the service. The scheduler (main/batch/scheduler/) is wired in by the
// composition root as a ScheduleAdmin; without one, the operations answer UNAVAILABLE.
import type { ScheduleChange, ScheduleView } from '../batch/scheduler/model.ts';
import { iso, type HandlerContext } from './context.ts';
import type { ParsedInputOf, ScheduleEntry } from './contract.ts';
import { CRON_FIELDS } from './contract/inputs.ts';
import { getJosaPicker } from 'josa';
import { allowedFolder, isTimeZoneName, type ParameterSpec } from '../batch/index.ts';
import { invalid, ServiceError, type Message } from './errors.ts';

const objectParticle = getJosaPicker('을');
const topicParticle = getJosaPicker('은');

/** What the service needs of the scheduler. */
export interface ScheduleAdmin {
  list(): Promise<ScheduleView[]>;
  /** how this console's schedule signs the executions it launches (`scheduler@<desk name>`) */
  launchedBy?: string;
  /** validates the change (cron, zone, policy, params) and throws ScheduleError when refused */
  update(jobName: string, change: ScheduleChange, modifiedBy: string): Promise<ScheduleView>;
}

/** The ScheduleAdmin of a Scheduler (main/batch/scheduler): what a composition root passes to createService. */
export function schedulerAdmin(scheduler: {
  list(): Promise<ScheduleView[]>;
  update(jobName: string, change: ScheduleChange, by: string): Promise<unknown>;
  readonly launchedBy?: string;
}): ScheduleAdmin {
  return {
    list: () => scheduler.list(),
    launchedBy: scheduler.launchedBy,
    update: async (jobName, change, by) => {
      await scheduler.update(jobName, change, by);
      const view = (await scheduler.list()).find((s) => s.jobName === jobName);
      if (!view) throw new ServiceError('NOT_FOUND', { ko: `${jobName} 예약 실행을 찾을 수 없습니다.`, en: `The schedule of ${jobName} was not found.` });
      return view;
    },
  };
}

export function scheduleEntry(s: ScheduleView): ScheduleEntry {
  return {
    jobName: s.jobName,
    cron: s.cron,
    timeZone: s.timeZone,
    enabled: s.enabled,
    misfirePolicy: s.misfirePolicy,
    params: s.params,
    nextFires: s.nextFires.map((d) => d.toISOString()),
    lastFire: s.lastFire && {
      fireTime: s.lastFire.fireTime.toISOString(),
      outcome: s.lastFire.outcome,
      executionId: s.lastFire.executionId,
      message: s.lastFire.message,
    },
    modifiedAt: iso(s.modifiedAt)!,
    modifiedBy: s.modifiedBy,
    description: s.description ?? null,
  };
}

function need(admin: ScheduleAdmin | undefined): ScheduleAdmin {
  if (!admin) {
    throw new ServiceError('UNAVAILABLE', {
      ko: '이 실행 환경에는 예약 실행 기능이 켜져 있지 않습니다.',
      en: 'The scheduler is not running in this process.',
    });
  }
  return admin;
}

export async function listSchedules(ctx: HandlerContext, admin: ScheduleAdmin | undefined): Promise<ScheduleEntry[]> {
  return (await need(admin).list()).map(scheduleEntry);
}

export async function updateSchedule(ctx: HandlerContext, admin: ScheduleAdmin | undefined, input: ParsedInputOf<'schedules.update'>): Promise<ScheduleEntry> {
  const { job, ...change } = input;
  if (change.timeZone !== undefined) refuseUnknownZone(change.timeZone);
  if (change.cron !== undefined) refuseEverySecond(change.cron);
  if (change.cron !== undefined) refuseOutOfRange(change.cron);
  if (change.params) refuseFixedTimes(ctx, job, change.params);
  if (change.params) await refuseFoldersOutside(ctx, change.params);
  const updated = await need(admin).update(job, change, ctx.actor);
  await ctx.audit({ action: 'schedules.update', target: `schedule:${job}`, detail: input });
  return scheduleEntry(updated);
}

/**
 * A zone that is not an Area/City name (or UTC) is refused in both languages, naming it and,
 * when a known zone ends in it ("Seoul", "new york"), that zone; the scheduler's own check said
 * only 시간대가 올바르지 않습니다 in Korean. The same check as the settings' zone (batch/text.ts).
 */
function refuseUnknownZone(typed: string): void {
  if (isTimeZoneName(typed)) return;
  const city = typed.trim().replace(/\s+/g, '_').toLowerCase();
  const known = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  const meant = city === '' ? undefined : known.find((zone) => zone.split('/').at(-1)!.toLowerCase() === city);
  throw new ServiceError(
    'INVALID_TIME_ZONE',
    {
      ko: `"${typed}"${topicParticle(typed)} 시간대 이름이 아닙니다. ${meant ? `${meant}${objectParticle(meant)} 찾으셨나요? ` : ''}시간대는 Asia/Seoul이나 UTC처럼 목록에 있는 이름으로 고르세요`,
      en: `"${typed}" is not a time zone name; ${meant ? `did you mean ${meant}? Use` : 'use'} one like Asia/Seoul or UTC, from the list`,
    },
    'timeZone',
  );
}

/**
 * A schedule people set fires at most once a minute: a cron with a seconds field (six fields)
 * must name one second. Every second, a job launches sixty times a minute, each with its
 * execution rows, and the history screen fills with them (the engine itself can, and its tests do).
 */
function refuseEverySecond(cron: string): void {
  const fields = cron.trim().split(/\s+/);
  if (fields.length === 6 && !/^\d{1,2}$/.test(fields[0]!)) {
    throw invalid('cron', {
      ko: '예약 실행은 1분에 한 번까지 정할 수 있습니다. 초 자리는 0처럼 한 숫자로 쓰세요',
      en: 'a schedule fires at most once a minute: give the seconds field one number, such as 0',
    });
  }
}

/**
 * A number outside its field's range ("61 * * * *": there is no minute 61) is refused naming the
 * field and what it takes, before the scheduler's own check (croner), whose words are a parser's.
 * The Schedules screen checks the same ranges as it is typed (renderer/src/lib/cron.ts).
 */
function refuseOutOfRange(cron: string): void {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return; // the scheduler says how many fields it needs
  const specs = fields.length === 6 ? CRON_FIELDS : CRON_FIELDS.slice(1);
  fields.forEach((field, i) => {
    const spec = specs[i]!;
    for (const item of field.split(',')) {
      for (const number of item.split('/')[0]!.split('-')) {
        if (!/^\d+$/.test(number)) continue; // *, names (MON, JAN), L, W…: the scheduler judges them
        const n = Number(number);
        if (n < spec.min || n > spec.max) {
          // the code the scheduler gives any cron it can't read, so API callers see one for both
          throw new ServiceError(
            'INVALID_CRON',
            {
              ko: `${spec.ko} 자리에는 ${spec.min}부터 ${spec.max}까지 쓸 수 있습니다. ${n}${spec.ko}${spec.topic} 없습니다`,
              en: `the ${spec.en} field takes ${spec.min} to ${spec.max}; there is no ${spec.en} ${n}`,
            },
            'cron',
          );
        }
      }
    }
  });
}

/** A parameter's name in words: its description up to the first "(" ("집계 시작 (기본: 어제 00:00)" → "집계 시작"). */
function labelOf(name: string, description: Message | undefined): Message {
  const cut = (text: string) => text.split(' (')[0]!.trim() || name;
  return description ? { ko: cut(description.ko), en: cut(description.en) } : { ko: name, en: name };
}

/**
 * A repeating schedule launches with the same parameters every fire, so a fixed date and time
 * (a statistics window's from/to) would give every fire the same window: refused, naming the
 * parameter, before anything is saved. Left blank, each fire works its window out from its own time.
 */
function refuseFixedTimes(ctx: HandlerContext, jobName: string, params: Record<string, unknown>): void {
  const job = ctx.operator.jobs.find((j) => j.name === jobName);
  if (!job) return;
  for (const [name, value] of Object.entries(params)) {
    const spec = (job.params as Record<string, ParameterSpec>)[name];
    if (!spec || spec.type !== 'dateTime' || value === '' || value === null || value === undefined) continue;
    const label = labelOf(name, spec.description);
    throw new ServiceError(
      'INVALID_PARAMETER',
      {
        ko: `${label.ko}(${name})${objectParticle(label.ko)} 고정할 수 없습니다: 예약 실행은 반복되므로 매번 같은 날짜와 시각으로 실행됩니다. 비워 두면 실행할 때마다 그때에 맞는 값(기본값)이 정해집니다.`,
        en: `${label.en} (${name}) cannot be fixed on a repeating schedule: every fire would run with the same date and time. Leave it blank and each fire works it out from its own time.`,
      },
      `params.${name}`,
    );
  }
}

/** The job parameters that name a folder the job writes in (and, for backups, deletes old copies from). */
export const FOLDER_PARAMETERS = ['reportDir', 'backupDir'] as const;

/**
 * A schedule's saved folder must be one the console may write (main/batch/folders.ts): the data
 * folder, the operator's, or one an admin added on the Settings screen; each fire's launch
 * checks it again.
 */
async function refuseFoldersOutside(ctx: HandlerContext, params: Record<string, unknown>): Promise<void> {
  for (const name of FOLDER_PARAMETERS) {
    const value = params[name];
    if (typeof value !== 'string' || !value.trim()) continue;
    const check = await allowedFolder(value, ctx.database);
    if (!check.ok) throw new ServiceError('INVALID_PARAMETER', { ko: `${name}: ${check.reason.ko}`, en: `${name}: ${check.reason.en}` }, `params.${name}`);
  }
}
