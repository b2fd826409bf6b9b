// One row of an imported member list, checked: a member (id, name, phone, groups) and perhaps
// a current pass (a package known by name, uses left, start and end), or every reason the row
// can't be imported, in Korean and English. Pure: the packages and groups come in as lookups.
import { getJosaPicker } from 'josa';
import { DateTime } from 'luxon';
import { hasControlOrFormat, isWellFormedText } from '../../batch/index.ts';
import { isNewMemberId } from '../memberIds.ts';
import { normalizePhone } from '../phone.ts';
import type { ColumnMapping, FileRecord } from './memberFile.ts';

export interface Reason {
  ko: string;
  en: string;
}

export interface PackageInfo {
  packageSeq: number;
  count: number | null;
  period: number | null;
}

export interface GroupInfo {
  userGroupId: string;
  userGroupName: string;
  description: string;
}

export interface Lookups {
  /** by package_name, trimmed */
  packages: Map<string, PackageInfo>;
  /** by user_group_id and by user_group_name */
  groups: Map<string, GroupInfo>;
}

export interface ImportedPass {
  packageSeq: number;
  /** null: unlimited */
  remainingCount: number | null;
  startedAt: Date;
  /** null: never ends */
  endedAt: Date | null;
}

export interface ImportedMember {
  row: number;
  /** the old program's member number, if the file has one */
  userId: string | null;
  userName: string;
  /** normalised (main/pass/phone.ts) */
  phone: string | null;
  groups: GroupInfo[];
  pass: ImportedPass | null;
}

export type RowOutcome = { ok: true; member: ImportedMember } | { ok: false; reason: Reason } | { ok: true; member: null };

/** The id a member without a member number gets: its phone's digits, so importing again finds the same one. */
export const generatedUserId = (phone: string) => `P${phone.replace(/\D/g, '')}`.slice(0, 20);

const NEW_GROUP_DESCRIPTION = '가져오기로 만든 그룹';

const problem = (ko: string, en: string): RowOutcome => ({ ok: false, reason: { ko, en } });
/** 은/는 and 이/가 chosen by what they follow ("없는패키지"가, "02-12"는), not written 이(가). */
const topic = getJosaPicker('은');
const subject = getJosaPicker('이');

function text(cells: string[], index: number | undefined): string {
  return index === undefined ? '' : (cells[index] ?? '').normalize('NFC').trim();
}

/**
 * A date as a Korean file writes it: 2026-03-01, 2026.03.01, 2026/3/1, 20260301, or an ISO
 * time (an .xlsx date cell); the start of that day in `timeZone`.
 */
export function parseDay(value: string, timeZone: string): DateTime | null {
  const m = DAY.exec(value) ?? COMPACT_DAY.exec(value);
  if (!m) return null;
  const day = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone: timeZone });
  if (!day.isValid || day.year < 2000 || day.year > 2100) return null;
  return day.startOf('day');
}
const DAY = /^(\d{4})[-./년\s]\s*(\d{1,2})[-./월\s]\s*(\d{1,2})일?(?:[T\s].*)?$/;
const COMPACT_DAY = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * The start of the day `value` names, `plusDays` later, in `timeZone`, as epoch milliseconds
 * (null: no date). Remembered: a member list repeats the same few hundred dates, and the time
 * zone arithmetic is most of a row's check.
 */
function dayAt(value: string, timeZone: string, plusDays: number): number | null {
  const key = `${timeZone}\u0000${plusDays}\u0000${value}`;
  let ms = days.get(key);
  if (ms === undefined) {
    const day = parseDay(value, timeZone);
    ms = day ? day.plus({ days: plusDays }).toMillis() : null;
    if (days.size >= 20_000) days.clear();
    days.set(key, ms);
  }
  return ms;
}
const days = new Map<string, number | null>();

export function checkRow(record: FileRecord, mapping: ColumnMapping, lookups: Lookups, timeZone: string): RowOutcome {
  const cells = record.cells;
  if (cells.every((cell) => cell.trim() === '')) return { ok: true, member: null }; // a blank line: nothing to import
  for (const cell of cells) {
    if (!isWellFormedText(cell)) return problem('깨진 문자가 있습니다', 'A cell holds a broken character');
  }
  // Every problem of the row is said, in the order of its columns, so one fix of the file mends
  // the row; a check that needs an earlier value (an end after a start) waits for it.
  const problems: Reason[] = [];
  const say = (ko: string, en: string) => void problems.push({ ko, en });

  const userName = text(cells, mapping.name);
  if (!userName) say('이름이 비어 있습니다', 'The name is empty');
  else if (userName.length > 50) say('이름이 50자를 넘습니다', 'The name is longer than 50 characters');
  else if (hasControlOrFormat(userName)) say('이름에 보이지 않는 문자가 있습니다', 'The name holds an invisible or control character');

  const idText = text(cells, mapping.id);
  if (idText.length > 20) say('회원번호가 20자를 넘습니다', 'The member id is longer than 20 characters');
  else if (hasControlOrFormat(idText)) say('회원번호에 보이지 않는 문자가 있습니다', 'The member id holds an invisible or control character');
  else if (idText && !isNewMemberId(idText)) {
    say(`회원번호 "${idText}"에는 글자(한글 포함), 숫자, ".", "_", "-"만 쓸 수 있습니다`, `The member id "${idText}" may hold letters (Korean ones too), digits, ".", "_" and "-" only`);
  }

  const phoneText = text(cells, mapping.phone);
  let phone: string | null = null;
  if (phoneText) {
    // Excel drops a leading zero from a number cell: 1012345678 was 010-1234-5678.
    const typed = /^1[016789]\d{7,8}$/.test(phoneText) ? `0${phoneText}` : phoneText;
    phone = normalizePhone(typed);
    if (!phone) say(`전화번호 "${phoneText}"${topic(phoneText)} 전화번호 형식이 아닙니다`, `"${phoneText}" is not a phone number`);
  }
  if (!idText && !phoneText) say('회원번호와 전화번호가 모두 비어 있습니다', 'Both the member id and the phone are empty');

  const groups: GroupInfo[] = [];
  for (const name of text(cells, mapping.group).split(/[,;|]/).map((g) => g.trim()).filter(Boolean)) {
    const known = lookups.groups.get(name);
    if (known) {
      if (!groups.includes(known)) groups.push(known);
      continue;
    }
    if (name.length > 20) say(`그룹 "${name}"${subject(name)} 없고, 새 그룹 이름으로는 20자를 넘습니다`, `There is no group "${name}", and it is too long (over 20 characters) for a new group's id`);
    else if (hasControlOrFormat(name)) say('그룹 이름에 보이지 않는 문자가 있습니다', 'The group holds an invisible or control character');
    else groups.push({ userGroupId: name, userGroupName: name, description: NEW_GROUP_DESCRIPTION });
  }

  const packageName = text(cells, mapping.package);
  const remainingText = text(cells, mapping.remaining);
  const startText = text(cells, mapping.start);
  const endText = text(cells, mapping.end);
  let pass: ImportedPass | null = null;
  if (!packageName) {
    if (remainingText || startText || endText) say('이용권 없이 잔여횟수나 날짜가 있습니다', 'There are uses left or dates but no package');
  } else {
    const pkg = lookups.packages.get(packageName);
    if (!pkg) say(`패키지 "${packageName}"${subject(packageName)} 없습니다. 패키지 이름을 확인하세요`, `There is no package named "${packageName}"; check its name`);
    let remainingCount: number | null = pkg?.count ?? null;
    if (remainingText) {
      if (/^(무제한|unlimited)$/i.test(remainingText)) remainingCount = null;
      else if (/^\d{1,6}$/.test(remainingText)) remainingCount = Number(remainingText);
      else say(`잔여횟수 "${remainingText}"${topic(remainingText)} 0 이상의 정수가 아닙니다`, `Uses left "${remainingText}" is not a whole number of 0 or more`);
    }
    const start = startText ? dayAt(startText, timeZone, 0) : null;
    if (!startText) say('이용권의 시작일이 비어 있습니다', "The pass's start date is empty");
    else if (start === null) say(`시작일 "${startText}"${topic(startText)} 날짜가 아닙니다 (예: 2026-03-01)`, `Start "${startText}" is not a date (like 2026-03-01)`);
    // usable through the whole end day: it ends when the next day begins
    const end = endText ? dayAt(endText, timeZone, 1) : null;
    if (endText && end === null) say(`종료일 "${endText}"${topic(endText)} 날짜가 아닙니다 (예: 2026-05-31)`, `End "${endText}" is not a date (like 2026-05-31)`);
    else if (end !== null && start !== null && end <= start) say('종료일이 시작일보다 앞섭니다', 'The end date is before the start date');
    if (pkg && start !== null && problems.length === 0) {
      const endedAt = end !== null ? new Date(end) : pkg.period === null ? null : new Date(dayAt(startText, timeZone, pkg.period)!);
      pass = { packageSeq: pkg.packageSeq, remainingCount, startedAt: new Date(start), endedAt };
    }
  }

  if (problems.length > 0) return { ok: false, reason: { ko: problems.map((p) => p.ko).join('; '), en: problems.map((p) => p.en).join('; ') } };
  return { ok: true, member: { row: record.row, userId: idText || null, userName, phone, groups, pass } };
}
