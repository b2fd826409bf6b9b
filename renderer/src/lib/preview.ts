// The bulk grant's sentence before it is registered: "12월 1일 09:00에 전체 회원 1,204명에게
// 필라테스 1회권" / "On Dec 1, 09:00, 1,204 members of 전체 회원 get 필라테스 1회권".
import { DateTime } from 'luxon';
import type { Lang } from '../i18n/words.ts';
import { formatYearMonthDayTime, formatNumber } from './format.ts';

export interface GrantPreviewInput {
  /** 'yyyy-MM-ddTHH:mm' in the gym's time zone */
  startedAt: string;
  packageName: string;
  groupName: string;
  memberCount: number;
  /** overrides the package's count */
  count?: number | null;
  /** 'yyyy-MM-ddTHH:mm' or 'yyyy-MM-dd'; overrides the package's period */
  endedAt?: string | null;
}

export function grantPreview(input: GrantPreviewInput, lang: Lang): string | null {
  const start = DateTime.fromISO(input.startedAt);
  if (!input.startedAt || !start.isValid || !input.packageName || !input.groupName) return null;
  const when = formatYearMonthDayTime(start, lang);
  const n = formatNumber(input.memberCount, lang);
  const end = input.endedAt ? DateTime.fromISO(input.endedAt) : null;
  const endText = end?.isValid ? formatYearMonthDayTime(end, lang) : null;
  if (lang === 'ko') {
    let text = `${when}에 ${input.groupName} ${n}명에게 ${input.packageName}`;
    if (input.count) text += ` (${formatNumber(input.count, lang)}회)`;
    if (endText) text += `, ${endText}까지`;
    return text;
  }
  let text = `On ${when}, ${n} members of ${input.groupName} get ${input.packageName}`;
  if (input.count) text += ` (${formatNumber(input.count, lang)} uses)`;
  if (endText) text += `, until ${endText}`;
  return text;
}
