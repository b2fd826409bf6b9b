// The one error every transport hands to people: a stable code the screens and scripts can
// switch on, the HTTP status it maps to, and a message in Korean and English. Engine errors
// (BatchError), schedule errors and schema (zod) errors are all turned into this here.
import { getJosaPicker } from 'josa';
import type { z } from 'zod';
import { BatchError, type BatchErrorCode } from '../batch/errors.ts';
import { ScheduleError, type ScheduleErrorCode } from '../batch/scheduler/model.ts';
import { describeRefusal } from './failures.ts';

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

/** Something named by the input does not exist; with the input field that named it. */
export const notFound = (what: Message, field?: string) => {
  const at = field ? `${field}: ` : '';
  return new ServiceError('NOT_FOUND', { ko: `${at}${what.ko}${objectParticle(what.ko)} 찾을 수 없습니다.`, en: `${at}${what.en} was not found.` }, field);
};
export const conflict = (text: Message) => new ServiceError('CONFLICT', text);
/** A value that passed its schema but not a rule that needs the database or another field. */
export const invalid = (field: string, text: Message) => new ServiceError('VALIDATION', { ko: `${field}: ${text.ko}`, en: `${field}: ${text.en}` }, field);

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
    const known = describeRefusal(error.code, error.message, timeZone);
    return new ServiceError(error.code, known ?? { ko: BATCH_KO[error.code], en: error.message }, field && `params.${field}`);
  }
  if (error instanceof ScheduleError) {
    const [code, ko] = SCHEDULE_KO[error.code];
    return new ServiceError(code, { ko, en: error.message });
  }
  // Never show a stack or SQL to people; the transport logs the original.
  return new ServiceError('INTERNAL', {
    ko: '처리 중 오류가 발생했습니다. 잠시 후 다시 시도하세요.',
    en: 'Something went wrong on the server. Try again in a moment.',
  });
}

const ISSUE_KO: Record<string, string> = {
  invalid_type: '형식이 올바르지 않습니다',
  too_small: '값이 너무 작거나 짧습니다',
  too_big: '값이 너무 크거나 깁니다',
  invalid_format: '형식이 올바르지 않습니다',
  not_multiple_of: '값이 올바르지 않습니다',
  unrecognized_keys: '알 수 없는 항목이 있습니다',
  invalid_union: '형식이 올바르지 않습니다',
  invalid_key: '항목 이름이 올바르지 않습니다',
  invalid_element: '값이 올바르지 않습니다',
  invalid_value: '허용되지 않는 값입니다',
  custom: '값이 올바르지 않습니다',
};

/** The first schema issue, naming its field (dotted path; unknown keys by their name). */
export function fromZodError(error: z.ZodError): ServiceError {
  const issue = error.issues[0]!;
  let path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys' && issue.keys.length) path = [path, issue.keys[0]].filter(Boolean).join('.');
  const field = path || 'input';
  const ko = ISSUE_KO[issue.code] ?? '값이 올바르지 않습니다';
  return new ServiceError('VALIDATION', { ko: `${field}: ${ko}`, en: `${field}: ${issue.message}` }, field);
}
