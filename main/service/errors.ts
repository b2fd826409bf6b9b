// The one error every transport hands to people: a stable code the screens and scripts can
// switch on, the HTTP status it maps to, and a message in Korean and English. Engine errors
// (BatchError), schedule errors and schema (zod) errors are all turned into this here.
import { getJosaPicker } from 'josa';
import type { z } from 'zod';
import { BatchError, type BatchErrorCode } from '../batch/errors.ts';
import { ScheduleError, type ScheduleErrorCode } from '../batch/scheduler/model.ts';
import { SCHEMA_MESSAGES } from './contract/inputs.ts';
import { describeRefusal } from './failures.ts';
import { isRefusedForLocks } from './transactions.ts';

export type ServiceErrorCode =
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'LOGIN_FAILED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNKNOWN_OPERATION'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  // transport-level (HTTP)
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  // the engine's and the scheduler's own, kept as they are
  | BatchErrorCode
  | ScheduleErrorCode;

export interface Message {
  ko: string;
  en: string;
}

/** What crosses a transport: plain data, the same over IPC and HTTP. */
export interface ServiceErrorBody {
  code: ServiceErrorCode;
  message: Message;
  /** the input field at fault, for VALIDATION and INVALID_PARAMETER */
  field?: string;
}

export const HTTP_STATUS: Record<ServiceErrorCode, number> = {
  VALIDATION: 400,
  BAD_REQUEST: 400,
  INVALID_PARAMETER: 400,
  INVALID_CRON: 400,
  INVALID_TIME_ZONE: 400,
  INVALID_MISFIRE_POLICY: 400,
  UNAUTHENTICATED: 401,
  LOGIN_FAILED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_OPERATION: 404,
  NO_SUCH_JOB: 404,
  NO_SUCH_EXECUTION: 404,
  NO_SUCH_SCHEDULE: 404,
  CONFLICT: 409,
  ALREADY_RUNNING: 409,
  ALREADY_COMPLETE: 409,
  NOT_RESTARTABLE: 409,
  NOT_RUNNING: 409,
  CANNOT_ABANDON: 409,
  CANNOT_MARK_FAILED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly code: ServiceErrorCode,
    readonly text: Message,
    readonly field?: string,
  ) {
    super(text.en);
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  toJSON(): ServiceErrorBody {
    return this.field === undefined ? { code: this.code, message: this.text } : { code: this.code, message: this.text, field: this.field };
  }
}

/** 을 or 를, whichever the Korean word before it needs ("작업 실행 4를", "회원 M1000001을"). */
const objectParticle = getJosaPicker('을');

/**
 * The input fields in the Korean words of the screens (GLOSSARY.md), for the messages people
 * read: "전화번호: …" rather than "phone: …". The code name stays in the error's `field`, which
 * the screens use to put the message beside its box, and in the English, which callers of the
 * API read. A field not listed is named as it is.
 */
const FIELD_WORDS: Record<string, string> = {
  startedAt: '시작일',
  endedAt: '종료일',
  from: '시작',
  to: '끝',
  userId: '회원번호',
  userName: '이름',
  phone: '전화번호',
  memo: '메모',
  query: '검색어',
  count: '횟수',
  refund: '돌려줄 금액',
  reason: '사유',
  days: '늘릴 기간',
  uses: '늘릴 횟수',
  packageSeq: '패키지',
  packageSeqs: '패키지',
  bonusPackageSeq: '덤 패키지',
  paymentMethod: '결제 수단',
  userGroupId: '회원 그룹',
  bulkPassSeq: '이용권 일괄 지급',
  passSeq: '이용권',
  classSeq: '수업',
  capacity: '정원',
  title: '수업 이름',
  instructor: '강사',
  repeatWeeks: '반복',
  cron: '주기',
  timeZone: '시간대',
  params: '실행 조건',
  contentBase64: '파일',
  fileName: '파일 이름',
  username: '아이디',
  password: '비밀번호',
  current: '지금 비밀번호',
  next: '새 비밀번호',
  role: '역할',
  digits: '전화번호 뒷자리',
  language: '언어',
  allowedFolders: '허용 폴더',
  reportDir: '보고서 폴더',
  backupDir: '백업 폴더',
};

/** A field path ('phone', 'packageSeqs.0', 'params.reportDir') in Korean words, by its last named part. */
function fieldInKorean(field: string): string {
  const name = field.split('.').filter((part) => !/^\d+$/.test(part)).at(-1) ?? field;
  return FIELD_WORDS[name] ?? name;
}

/**
 * "<field>: <text>": in Korean the field in the screens' words ("전화번호: …"), in English by the
 * input's own name ("phone: …"), which is also what whoever calls the HTTP API sends.
 */
const aboutField = (field: string, text: Message): Message => ({ ko: `${fieldInKorean(field)}: ${text.ko}`, en: `${field}: ${text.en}` });

/** Something named by the input does not exist ("회원 M1을 찾을 수 없습니다": it names itself); with the input field that named it. */
export const notFound = (what: Message, field?: string) => {
  const text = { ko: `${what.ko}${objectParticle(what.ko)} 찾을 수 없습니다.`, en: `${what.en} was not found.` };
  return new ServiceError('NOT_FOUND', field ? { ko: text.ko, en: `${field}: ${text.en}` } : text, field);
};
export const conflict = (text: Message) => new ServiceError('CONFLICT', text);
/** A value that passed its schema but not a rule that needs the database or another field. */
export const invalid = (field: string, text: Message) => new ServiceError('VALIDATION', aboutField(field, text), field);

/** A string in the input that is not well-formed Unicode (a lone surrogate half), at `field` ('input' for the whole). */
export const brokenText = (field: string) =>
  invalid(field || 'input', {
    ko: '깨진 문자(짝이 없는 UTF-16 서로게이트)가 들어 있습니다. 다시 입력하세요',
    en: 'holds a broken character (a lone UTF-16 surrogate, not well-formed Unicode); type it again',
  });

/** Korean for the engine's codes; the English is the engine's own, more specific message. */
const BATCH_KO: Record<BatchError['code'], string> = {
  NO_SUCH_JOB: '그런 이름의 배치 작업이 없습니다.',
  INVALID_PARAMETER: '실행 조건이 올바르지 않습니다.',
  ALREADY_RUNNING: '같은 실행 조건으로 이미 실행 중입니다.',
  ALREADY_COMPLETE: '같은 실행 조건으로 이미 완료되었습니다. 실행 조건을 바꿔 다시 실행하세요.',
  NOT_RESTARTABLE: '이 작업 실행은 재시작할 수 없습니다.',
  NO_SUCH_EXECUTION: '그런 작업 실행이 없습니다.',
  NOT_RUNNING: '이 작업 실행은 실행 중이 아닙니다.',
  CANNOT_ABANDON: '중지되었거나 실패한 작업 실행만 포기할 수 있습니다.',
  CANNOT_MARK_FAILED: '다른 프로그램이 돌리다 멈춘 작업 실행만 실패로 표시할 수 있습니다.',
};

const SCHEDULE_KO: Record<ScheduleError['code'], [ServiceErrorCode, string]> = {
  INVALID_CRON: ['INVALID_CRON', '예약 실행 주기(cron)가 올바르지 않습니다.'],
  INVALID_TIME_ZONE: ['INVALID_TIME_ZONE', '시간대가 올바르지 않습니다.'],
  INVALID_MISFIRE_POLICY: ['INVALID_MISFIRE_POLICY', '놓친 실행 처리 방식이 올바르지 않습니다.'],
  INVALID_PARAMETER: ['INVALID_PARAMETER', '실행 조건이 올바르지 않습니다.'],
  NO_SUCH_SCHEDULE: ['NO_SUCH_SCHEDULE', '그런 예약 실행이 없습니다.'],
};

/** The parameter a BatchError INVALID_PARAMETER names, from its message ("Parameter "x" ..."). */
function parameterNamed(message: string): string | undefined {
  return /parameter "([^"]+)"/i.exec(message)?.[1];
}

/**
 * Any error thrown while serving a call, as the ServiceError people see. An engine refusal whose
 * reason is known (failures.ts) says it in Korean too, with times in the gym's zone.
 */
export function toServiceError(error: unknown, timeZone = 'Asia/Seoul'): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof BatchError) {
    const field = error.code === 'INVALID_PARAMETER' ? parameterNamed(error.message) : undefined;
    const known = describeRefusal(error.code, error.message, timeZone, error.running);
    // A job's own launch check says its reason in English only: the Korean says which condition
    // and gives that reason, rather than only that something is wrong.
    const ko = error.code === 'INVALID_PARAMETER' ? `실행 조건${field ? ` ${field}` : ''}${field ? '에' : '이'} 문제가 있습니다: ${error.message}` : BATCH_KO[error.code];
    return new ServiceError(error.code, known ?? { ko, en: error.message }, field && `params.${field}`);
  }
  if (error instanceof ScheduleError) {
    const [code, ko] = SCHEDULE_KO[error.code];
    return new ServiceError(code, { ko, en: error.message });
  }
  // Refused only for another's locks, after the tries the service gives it (transactions.ts):
  // nothing was changed, and a moment later it will most likely go through.
  if (isRefusedForLocks(error)) {
    return new ServiceError('UNAVAILABLE', {
      ko: '다른 데스크나 실행 중인 작업이 같은 자료를 쓰고 있어 처리하지 못했습니다. 바뀐 것은 없습니다. 잠시 후 다시 시도하세요.',
      en: 'Another desk or a running job was using the same records, so nothing was changed. Try again in a moment.',
    });
  }
  // Never show a stack or SQL to people; the transport logs the original.
  return new ServiceError('INTERNAL', {
    ko: '처리 중 오류가 발생했습니다. 잠시 후 다시 시도하세요.',
    en: 'Something went wrong on the server. Try again in a moment.',
  });
}

/** The schemas' own messages, English to Korean (contract/inputs.ts SCHEMA_MESSAGES). */
const KOREAN_OF = new Map<string, string>(Object.values(SCHEMA_MESSAGES).map((m) => [m.en, m.ko]));

const TYPE_WORDS: Record<string, Message> = {
  number: { ko: '숫자여야 합니다', en: 'must be a number' },
  int: { ko: '정수여야 합니다', en: 'must be a whole number' },
  string: { ko: '글자로 써야 합니다', en: 'must be text' },
  boolean: { ko: '참이나 거짓이어야 합니다', en: 'must be true or false' },
  array: { ko: '목록이어야 합니다', en: 'must be a list' },
};

/** A schema issue in words a person can act on, in both languages (zod's English is for programmers). */
function issueInWords(issue: z.ZodError["issues"][number]): Message {
  const known = KOREAN_OF.get(issue.message);
  if (known !== undefined) return { ko: known, en: issue.message };
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) return { ko: '빠졌습니다. 꼭 넣어야 합니다', en: 'is missing' };
      return TYPE_WORDS[issue.expected] ?? { ko: '형식이 올바르지 않습니다', en: issue.message };
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return { ko: `${max}자까지 쓸 수 있습니다`, en: `can be at most ${max} characters` };
      if (issue.origin === 'number' || issue.origin === 'int') {
        return issue.inclusive === false ? { ko: `${max}보다 작아야 합니다`, en: `must be less than ${max}` } : { ko: `${max} 이하여야 합니다`, en: `must be ${max} or less` };
      }
      if (issue.origin === 'array') return { ko: `${max}개까지 넣을 수 있습니다`, en: `can hold at most ${max}` };
      return { ko: '값이 너무 크거나 깁니다', en: issue.message };
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? { ko: '비어 있습니다', en: 'is empty' } : { ko: `${min}자 이상이어야 합니다`, en: `needs at least ${min} characters` };
      if (issue.origin === 'number' || issue.origin === 'int') {
        return issue.inclusive === false ? { ko: `${min}보다 커야 합니다`, en: `must be more than ${min}` } : { ko: `${min} 이상이어야 합니다`, en: `must be ${min} or more` };
      }
      if (issue.origin === 'array') return { ko: `${min}개 이상 넣어야 합니다`, en: `needs at least ${min}` };
      return { ko: '값이 너무 작거나 짧습니다', en: issue.message };
    }
    case 'invalid_value': {
      const values = issue.values.map(String).join(', ');
      return { ko: `${values} 가운데 하나여야 합니다`, en: `must be one of ${values}` };
    }
    case 'unrecognized_keys':
      return { ko: '알 수 없는 항목입니다', en: 'is not a field this takes' };
    default:
      return { ko: '값이 올바르지 않습니다', en: issue.message };
  }
}

/** The first schema issue, naming its field (dotted path; unknown keys by their name). */
export function fromZodError(error: z.ZodError): ServiceError {
  const issue = error.issues[0]!;
  let path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys' && issue.keys.length) path = [path, issue.keys[0]].filter(Boolean).join('.');
  const field = path || 'input';
  return new ServiceError('VALIDATION', aboutField(field, issueInWords(issue)), field);
}
