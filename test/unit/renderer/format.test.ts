// The formatting the screens rely on: separators, the gym's time zone, durations, progress, step titles.
import { describe, expect, test } from 'vitest';
import { durationBetween, formatDate, formatMoment, formatPassEnd, formatPhone, formatDateTime, formatDuration, formatNumber, formatParameters, formatPercent, formatWon, progressOf, splitExitMessage, toLocalInput } from '../../../renderer/src/lib/format.ts';
import { cronInWords } from '../../../renderer/src/lib/cron.ts';
import { parseCsv } from '../../../renderer/src/lib/csv.ts';
import { translate } from '../../../renderer/src/i18n/i18n.ts';
import { jobTitle, stepTitle } from '../../../renderer/src/i18n/jobTitles.ts';
import { allSteps, defineJob, taskletStep, type JobDefinition } from '../../../main/batch/job.ts';
import { consoleJobs } from '../../../main/app/runtime.ts';
import { jobView } from '../../../main/service/executions.ts';

describe('format', () => {
  test('numbers carry thousands separators in both languages', () => {
    expect(formatNumber(1204, 'ko')).toBe('1,204');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(null, 'ko')).toBe('–');
    expect(formatPercent(0.8125, 'en')).toBe('81.3%');
    expect(formatPercent(null, 'ko')).toBe('–');
  });

  test('an amount of won reads 120,000원 in Korean and ₩120,000 in English; no price is a dash, a free one 0', () => {
    expect(formatWon(120_000, 'ko')).toBe('120,000원');
    expect(formatWon(120_000, 'en')).toBe('₩120,000');
    expect(formatWon(0, 'ko')).toBe('0원');
    expect(formatWon(null, 'en')).toBe('–');
  });

  test("times are shown in the gym's time zone", () => {
    // 00:00 UTC is 09:00 in Seoul
    expect(formatDateTime('2026-12-01T00:00:00.000Z', 'ko')).toBe('2026. 12. 1. 09:00');
    expect(formatDateTime('2026-12-01T00:00:00.000Z', 'en')).toBe('Dec 1, 2026, 09:00');
    expect(formatDateTime('2026-12-01T00:00:00.000Z', 'en', 'America/New_York')).toBe('Nov 30, 2026, 19:00');
    expect(formatDate('2026-11-30T15:00:00Z', 'ko')).toBe('2026. 12. 1.');
    expect(formatDateTime(null, 'ko')).toBe('–');
    expect(toLocalInput('2026-12-01T00:00:00Z')).toBe('2026-12-01T09:00');
  });

  test('a pass\'s end shows its time unless it falls at midnight, so the last day reads as far as the pass goes', () => {
    // 00:00 UTC is 09:00 in Seoul; 15:00 UTC is midnight there
    expect(formatMoment('2027-01-06T00:00:00.000Z', 'ko')).toBe('2027. 1. 6. 09:00');
    expect(formatMoment('2027-01-06T00:00:00.000Z', 'en')).toBe('Jan 6, 2027, 09:00');
    expect(formatMoment('2027-01-05T15:00:00.000Z', 'ko')).toBe('2027. 1. 6.');
    expect(formatMoment('2027-01-05T15:00:00.000Z', 'en')).toBe('Jan 6, 2027');
    expect(formatMoment(null, 'en')).toBe('–');
  });

  test("a pass's end at midnight is shown as the day before, the last day it can be used; any other end keeps its date and time", () => {
    // 15:00 UTC is midnight in Seoul: a pass ending 2027-01-06 00:00 is used up to 5 January
    expect(formatPassEnd('2027-01-05T15:00:00.000Z', 'ko')).toBe('2027. 1. 5.');
    expect(formatPassEnd('2027-01-05T15:00:00.000Z', 'en')).toBe('Jan 5, 2027');
    expect(formatPassEnd('2027-01-06T00:00:00.000Z', 'ko')).toBe('2027. 1. 6. 09:00');
    // 2027-02-04T17:12Z is 02:12 on 5 February in Seoul: not good all of the 5th
    expect(formatPassEnd('2027-02-04T17:12:00.000Z', 'ko')).toBe('2027. 2. 5. 02:12');
    expect(formatPassEnd('2027-02-04T17:12:00.000Z', 'en')).toBe('Feb 5, 2027, 02:12');
    expect(formatPassEnd('2027-01-01T05:00:00.000Z', 'en', 'America/New_York')).toBe('Dec 31, 2026');
    expect(formatPassEnd(null, 'ko')).toBe('–');
  });

  test('durations read like people say them', () => {
    expect(formatDuration(420, 'ko')).toBe('0.4초');
    expect(formatDuration(192_000, 'ko')).toBe('3분 12초');
    expect(formatDuration(192_000, 'en')).toBe('3 min 12 s');
    expect(formatDuration(3_720_000, 'ko')).toBe('1시간 2분');
    expect(formatDuration(null, 'en')).toBe('–');
    expect(durationBetween('2026-01-01T00:00:00Z', '2026-01-01T00:00:05Z')).toBe(5000);
    expect(durationBetween(null, null)).toBeNull();
    expect(durationBetween('2026-01-01T00:00:00Z', null, Date.parse('2026-01-01T00:01:00Z'))).toBe(60_000);
  });

  test('progress gives the fraction and the time left from the rate', () => {
    expect(progressOf(250, 1000, 50)).toEqual({ fraction: 0.25, etaMs: 15_000 });
    expect(progressOf(10, null, 50)).toEqual({ fraction: null, etaMs: null });
    expect(progressOf(1200, 1000, 0)).toEqual({ fraction: 1, etaMs: null });
  });

  test('parameters are listed without JSON, times in the gym zone', () => {
    expect(formatParameters({ from: '2026-11-30T15:00:00.000Z', rerun: 1000, reportDir: '' }, 'ko')).toBe('from=2026. 12. 1. 00:00, rerun=1,000, reportDir=기본값');
  });

  test('phone numbers get their dashes', () => {
    expect(formatPhone('01052659254')).toBe('010-5265-9254');
    expect(formatPhone('0101234567')).toBe('010-123-4567');
    expect(formatPhone('+82 2 123')).toBe('+82 2 123');
    expect(formatPhone(null)).toBe('–');
  });

  test('cron expressions in words', () => {
    expect(cronInWords('5 0 * * *', 'ko')).toBe('매일 00:05');
    expect(cronInWords('5 0 * * *', 'en')).toBe('Daily at 00:05');
    expect(cronInWords('0 30 9 * * 1', 'ko')).toBe('매주 월요일 09:30');
    expect(cronInWords('*/10 * * * *', 'en')).toBe('Every 10 minutes');
    expect(cronInWords('0 6 1 * *', 'ko')).toBe('매월 1일 06:00');
    expect(cronInWords('0 6 L * *', 'en')).toBe('0 6 L * *');
  });

  test('CSV previews keep quoted commas and quotes', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n1,2')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['1', '2'],
    ]);
    expect(parseCsv('a\n1\n2\n3', 2)).toEqual([['a'], ['1']]);
  });
});

describe('splitExitMessage', () => {
  test('keeps what went wrong and folds the code locations apart', () => {
    const text =
      "writeDailyReportStep: Could not write the daily report /r/daily.csv: ENOTDIR: not a directory, mkdir '/r'\n" +
      'at writeCsvReport (/app/main/pass/reports/reportFiles.ts:62:11)\n' +
      '    at async run (file:///app/main/batch/stepRunner.ts:40:3)';
    expect(splitExitMessage(text)).toEqual({
      summary: "writeDailyReportStep: Could not write the daily report /r/daily.csv: ENOTDIR: not a directory, mkdir '/r'",
      frames: 'at writeCsvReport (/app/main/pass/reports/reportFiles.ts:62:11)\nat async run (file:///app/main/batch/stepRunner.ts:40:3)',
    });
  });

  test('leaves a message without code locations whole, words that begin with "at" included', () => {
    const text = 'Marked FAILED by admin on 2026-12-03T17:27:04.306Z: the application running it had stopped.\nat the desk: restart it there';
    expect(splitExitMessage(text)).toEqual({ summary: text, frames: '' });
  });
});

describe('job and step titles', () => {
  // as jobs.list gives them to the screens
  const jobs = consoleJobs.map(jobView);

  test('a job and a step read in words from jobs.list; a partition by its number from 1; what jobs.list does not name by its code name', () => {
    expect(jobTitle(jobs, 'makeStatisticsJob', 'ko')).toBe('통계 데이터 생성');
    expect(jobTitle(jobs, 'makeStatisticsJob', 'en')).toBe('Build statistics and reports');
    expect(jobTitle(jobs, 'someOtherAppJob', 'ko')).toBe('someOtherAppJob');
    expect(stepTitle('writeWeeklyReportStep', 'ko', jobs, 'makeStatisticsJob')).toEqual({ title: '주간 보고서 작성', code: 'writeWeeklyReportStep' });
    expect(stepTitle('writeWeeklyReportStep', 'en', jobs)).toEqual({ title: 'Write the weekly reports', code: 'writeWeeklyReportStep' });
    expect(stepTitle('writeWeeklyReportStep', 'en', jobs, 'usePassesJob')).toEqual({ title: 'writeWeeklyReportStep', code: null });
    expect(stepTitle('usePassesStep:partition0', 'ko', jobs)).toEqual({ title: '구간 1', code: 'partition0' });
    expect(stepTitle('usePassesStep:partition3', 'en', jobs)).toEqual({ title: 'Part 4', code: 'partition3' });
    expect(stepTitle('importStep', 'ko', jobs)).toEqual({ title: 'importStep', code: null });
    expect(stepTitle('writeWeeklyReportStep', 'ko', [])).toEqual({ title: 'writeWeeklyReportStep', code: null });
  });

  /** `job.step` for each step without a title in both languages (and `job` for a job without one). */
  const untitled = (definitions: JobDefinition<any>[]) =>
    definitions.flatMap((job) => [
      ...(job.title?.ko.trim() && job.title.en.trim() ? [] : [job.name]),
      ...allSteps(job.flow)
        .filter((step) => !step.title?.ko.trim() || !step.title.en.trim())
        .map((step) => `${job.name}.${step.name}`),
    ]);

  test('every job the console runs and every step of it has a title in Korean and English, and jobs.list carries them', () => {
    expect(untitled(consoleJobs)).toEqual([]);
    const steps = jobs.flatMap((job) => job.steps);
    expect(steps.length).toBeGreaterThan(10);
    expect(steps.filter((step) => !step.title).map((step) => step.name)).toEqual([]);
    expect(jobs.find((job) => job.name === 'usePassesJob')!.steps).toEqual([
      { name: 'completeClassBookingsStep', title: { ko: '끝난 수업의 예약 완료 (불참 정책 적용)', en: 'Complete the bookings of ended classes (the no-show policy)' } },
      { name: 'usePassesStep', title: { ko: '수업 후 이용권 차감', en: 'Deduct uses after class' } },
    ]);
  });

  test('the check names a step without a title, or with one language missing', () => {
    const finished = async () => 'FINISHED' as const;
    const job = defineJob({
      name: 'draftJob',
      title: { ko: '초안', en: 'Draft' },
      steps: [
        taskletStep({ name: 'titledStep', title: { ko: '제목 있음', en: 'Titled' }, tasklet: finished }),
        taskletStep({ name: 'untitledStep', tasklet: finished }),
        taskletStep({ name: 'koreanOnlyStep', title: { ko: '한국어만', en: ' ' }, tasklet: finished }),
      ],
    });
    expect(untitled([job])).toEqual(['draftJob.untitledStep', 'draftJob.koreanOnlyStep']);
  });
});

describe('Korean particles', () => {
  test('take the form the number or word before them needs; English is left as it is', () => {
    expect(translate('ko', 'launched', { id: 4 })).toBe('작업 실행 #4를 시작했습니다.');
    expect(translate('ko', 'launched', { id: 3 })).toBe('작업 실행 #3을 시작했습니다.');
    expect(translate('ko', 'launched', { id: 1000 })).toBe('작업 실행 #1000을 시작했습니다.');
    expect(translate('ko', 'restarted', { id: 1 })).toBe('작업 실행 #1로 재시작했습니다.');
    expect(translate('ko', 'restarted', { id: 6 })).toBe('작업 실행 #6으로 재시작했습니다.');
    expect(translate('ko', 'restarted', { id: 12 })).toBe('작업 실행 #12로 재시작했습니다.');
    expect(translate('ko', 'roleConfirm', { u: 'desk.kim', r: '관리자' })).toBe('desk.kim의 권한을 관리자로 바꿀까요?');
    expect(translate('ko', 'launchConfirm', { job: '이용권 만료' })).toBe('이용권 만료를 이 실행 조건으로 실행할까요?');
    expect(translate('ko', 'launchConfirm', { job: '통계 데이터 생성' })).toBe('통계 데이터 생성을 이 실행 조건으로 실행할까요?');
    expect(translate('en', 'restarted', { id: 6 })).toBe('Restarted as execution #6.');
  });
});

describe('English plurals', () => {
  test('a count takes the singular only when it is one', () => {
    expect(translate('en', 'countUnit', { n: 1 })).toBe('1 use');
    expect(translate('en', 'countUnit', { n: 3 })).toBe('3 uses');
    expect(translate('en', 'membersInGroup', { n: '1,853' })).toBe('1,853 members');
    expect(translate('en', 'daysUnit', { n: 1 })).toBe('1 day');
    expect(translate('en', 'executionsCount', { n: 0 })).toBe('0 executions');
    expect(translate('ko', 'countUnit', { n: 1 })).toBe('1회');
    expect(translate('ko', 'settingsTimeZoneNextStart', { saved: 'Asia/Seoul', active: 'UTC' })).toMatch(/^저장된 시간대 Asia\/Seoul은 /);
  });
});
