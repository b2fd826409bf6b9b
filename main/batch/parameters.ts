// Job parameters: each job declares a typed schema; raw values (from the command line, a
// form or the API) are checked against it before anything is written. Identifying
// parameters, sorted by name and hashed, make the JobInstance's JOB_KEY, as in Spring Batch.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { FIRST_YEAR, isRealOffset, isSaneYear, isWellFormedText, LAST_YEAR } from './text.ts';

export type ParameterType = 'string' | 'number' | 'dateTime' | 'boolean';
export type ParameterValue = string | number | boolean | Date;

export interface ParameterSpec<T extends ParameterValue = ParameterValue> {
  type: ParameterType;
  /** Part of the instance's identity (default true), as in Spring Batch. */
  identifying: boolean;
  required: boolean;
  /** A value, 'now' for a dateTime, or a function of the launch moment. */
  default?: T | "now" | ((now: Date, timeZone: string) => T);
  description?: { ko: string; en: string };
  /** extra check after the type; return a message when the value is refused */
  check?(value: T): string | undefined;
  integer?: boolean;
  min?: number;
  max?: number;
}

export type ParameterSchema = Record<string, ParameterSpec<any>>;

type Common<T extends ParameterValue> = Partial<Omit<ParameterSpec<T>, 'type'>>;

export const stringParam = (o: Common<string> = {}): ParameterSpec<string> => ({ identifying: true, required: o.default === undefined, ...o, type: 'string' });
export const numberParam = (o: Common<number> = {}): ParameterSpec<number> => ({ identifying: true, required: o.default === undefined, ...o, type: 'number' });
export const booleanParam = (o: Common<boolean> = {}): ParameterSpec<boolean> => ({ identifying: true, required: o.default === undefined, ...o, type: 'boolean' });
export const dateTimeParam = (o: Common<Date> = {}): ParameterSpec<Date> => ({ identifying: true, required: o.default === undefined, ...o, type: 'dateTime' });

export type ValuesOf<S extends ParameterSchema> = {
  [K in keyof S]: S[K] extends ParameterSpec<infer T> ? T : never;
};

/** A validated parameter with its type, ready to store in BATCH_JOB_EXECUTION_PARAMS. */
export interface JobParameter {
  name: string;
  type: ParameterType;
  value: ParameterValue;
  identifying: boolean;
}

export class JobParametersInvalidError extends Error {
  override name = 'JobParametersInvalidError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ParseOptions {
  /** the gym's time zone, for date/times written without an offset */
  timeZone: string;
  now?: Date;
}

/**
 * Checks raw values against the schema: unknown names, missing required values, wrong
 * types and out-of-range values are refused with a message that names the parameter.
 */
export function parseJobParameters(
  jobName: string,
  schema: ParameterSchema,
  raw: Record<string, unknown>,
  options: ParseOptions,
): JobParameter[] {
  const now = options.now ?? new Date();
  for (const name of Object.keys(raw)) {
    if (!isWellFormedText(name)) throw new JobParametersInvalidError(name, `${jobName} has no parameter named with a broken character (not well-formed Unicode)`);
    if (!(name in schema)) {
      const known = Object.keys(schema);
      throw new JobParametersInvalidError(
        name,
        `${jobName} has no parameter "${name}"` + (known.length ? ` (it takes: ${known.join(', ')})` : ' (it takes none)'),
      );
    }
  }
  const result: JobParameter[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    const given = raw[name];
    let value: ParameterValue;
    if (given === undefined || given === null || given === '') {
      if (spec.default === undefined) {
        if (spec.required) throw new JobParametersInvalidError(name, `${jobName} needs the parameter "${name}" (${describeType(spec)})`);
        continue;
      }
      value =
        typeof spec.default === 'function'
          ? (spec.default as (now: Date, timeZone: string) => ParameterValue)(now, options.timeZone)
          : spec.default === 'now' && spec.type === 'dateTime'
            ? now
            : (spec.default as ParameterValue);
    } else {
      value = coerce(name, spec, given, options.timeZone);
    }
    const problem = rangeProblem(spec, value) ?? spec.check?.(value as never);
    if (problem) throw new JobParametersInvalidError(name, `Parameter "${name}": ${problem}`);
    result.push({ name, type: spec.type, value, identifying: spec.identifying });
  }
  return result;
}

function describeType(spec: ParameterSpec): string {
  switch (spec.type) {
    case 'dateTime':
      return 'a date and time like 2026-12-01T09:00 or 2026-12-01T09:00:00+09:00';
    case 'number':
      return spec.integer ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return 'text';
  }
}

function coerce(name: string, spec: ParameterSpec, given: unknown, timeZone: string): ParameterValue {
  const bad = () => new JobParametersInvalidError(name, `Parameter "${name}" must be ${describeType(spec)}; got ${JSON.stringify(given)}`);
  switch (spec.type) {
    case 'string':
      if (typeof given !== 'string' && typeof given !== 'number') throw bad();
      if (String(given).length > 2000) throw new JobParametersInvalidError(name, `Parameter "${name}" is too long (2000 characters at most)`);
      if (!isWellFormedText(String(given))) throw new JobParametersInvalidError(name, `Parameter "${name}" holds a broken character (a lone UTF-16 surrogate: not well-formed Unicode)`);
      return String(given);
    case 'number': {
      const n = typeof given === 'number' ? given : typeof given === 'string' && given.trim() !== '' ? Number(given) : NaN;
      if (!Number.isFinite(n)) throw bad();
      if (spec.integer && !Number.isInteger(n)) throw bad();
      return n;
    }
    case 'boolean':
      if (typeof given === 'boolean') return given;
      if (given === 'true' || given === 'false') return given === 'true';
      throw bad();
    case 'dateTime': {
      const outOfRange = () => new JobParametersInvalidError(name, `Parameter "${name}" must be a date between ${FIRST_YEAR} and ${LAST_YEAR}; got ${JSON.stringify(given)}`);
      if (given instanceof Date) {
        if (Number.isNaN(given.getTime())) throw bad();
        if (!isSaneYear(given)) throw outOfRange();
        return given;
      }
      if (typeof given !== 'string') throw bad();
      const parsed = parseDateTime(given, timeZone);
      if (!parsed) throw bad();
      const year = Number(given.trim().slice(0, 4));
      if (year < FIRST_YEAR || year > LAST_YEAR || !isSaneYear(parsed)) throw outOfRange();
      return parsed;
    }
  }
}

/** A date-time as parameters and the service take it: '2026-12-01', '2026-12-01T09:00' (local), '2026-12-01T00:00:00Z'; group 4 is the offset. */
export const DATE_TIME_TEXT = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** ISO 8601 with an offset (or Z) that exists (-12:00 to +14:00), or else a local time in the gym's time zone. */
export function parseDateTime(text: string, timeZone: string): Date | null {
  const trimmed = text.trim();
  const shape = DATE_TIME_TEXT.exec(trimmed);
  if (!shape || !isRealOffset(shape[4])) return null;
  const dt = DateTime.fromISO(trimmed.replace(' ', 'T'), { zone: timeZone, setZone: false });
  return dt.isValid ? dt.toJSDate() : null;
}

function rangeProblem(spec: ParameterSpec, value: ParameterValue): string | undefined {
  if (typeof value !== 'number') return undefined;
  if (spec.min !== undefined && value < spec.min) return `must be at least ${spec.min}; got ${value}`;
  if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}; got ${value}`;
  return undefined;
}

/** Java class names in PARAMETER_TYPE, so Spring Batch tooling reads our rows. */
const JAVA_TYPES: Record<ParameterType, string> = {
  string: 'java.lang.String',
  number: 'java.lang.Double',
  dateTime: 'java.time.Instant',
  boolean: 'java.lang.Boolean',
};
const FROM_JAVA: Record<string, ParameterType> = {
  'java.lang.String': 'string',
  'java.lang.Double': 'number',
  'java.lang.Long': 'number',
  'java.lang.Integer': 'number',
  'java.time.Instant': 'dateTime',
  'java.time.LocalDateTime': 'dateTime',
  'java.util.Date': 'dateTime',
  'java.lang.Boolean': 'boolean',
};

export function serializeParameter(p: JobParameter): { PARAMETER_NAME: string; PARAMETER_TYPE: string; PARAMETER_VALUE: string; IDENTIFYING: 'Y' | 'N' } {
  return {
    PARAMETER_NAME: p.name,
    PARAMETER_TYPE: p.type === 'number' && Number.isInteger(p.value) ? 'java.lang.Long' : JAVA_TYPES[p.type],
    PARAMETER_VALUE: valueToString(p),
    IDENTIFYING: p.identifying ? 'Y' : 'N',
  };
}

export function deserializeParameter(row: { PARAMETER_NAME: string; PARAMETER_TYPE: string; PARAMETER_VALUE: string | null; IDENTIFYING: string }): JobParameter {
  const text = row.PARAMETER_VALUE ?? '';
  const identifying = row.IDENTIFYING === 'Y';
  const type = FROM_JAVA[row.PARAMETER_TYPE] ?? 'string';
  const value: ParameterValue =
    type === 'number' ? Number(text) : type === 'boolean' ? text === 'true' : type === 'dateTime' ? new Date(text) : text;
  // A value another application wrote that does not read as its type (a Spring Batch
  // application's own formats, a type of its own) is kept as the text it is.
  if ((typeof value === 'number' && (!text.trim() || !Number.isFinite(value))) || (value instanceof Date && Number.isNaN(value.getTime()))) {
    return { name: row.PARAMETER_NAME, type: 'string', value: text, identifying };
  }
  return { name: row.PARAMETER_NAME, type, value, identifying };
}

function valueToString(p: JobParameter): string {
  return p.value instanceof Date ? p.value.toISOString() : String(p.value);
}

/** MD5 of `name=value;` over the identifying parameters sorted by name (Spring's DefaultJobKeyGenerator). */
export function jobKey(parameters: JobParameter[]): string {
  const text = parameters
    .filter((p) => p.identifying)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => `${p.name}=${valueToString(p)};`)
    .join('');
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export function parametersToValues(parameters: JobParameter[]): Record<string, ParameterValue> {
  return Object.fromEntries(parameters.map((p) => [p.name, p.value]));
}
