// The launch form, built from a job's parameter schema: one field per parameter, its input kind,
// its default shown as a hint, and the values turned back into the `params` of executions.launch
// (blank fields left out so the job's own default applies).
import type { ParameterView } from '../../../main/service/contract.ts';
import { PARAM_LABEL, type Lang } from '../i18n/words.ts';
import { localDateTime } from './time24.ts';

/**
 * A parameter's name in words (GLOSSARY): the console's own word, else its description up to the
 * first "(", else the code name itself.
 */
export function paramLabel(name: string, lang: Lang, description?: ParameterView['description']): string {
  const known = PARAM_LABEL[name];
  if (known) return known[lang];
  const described = description?.[lang].split(' (')[0]?.trim();
  return described || name;
}

/**
 * A repeating schedule launches every fire with the same parameters: a fixed date and time would
 * give each fire the same window. The first such field, or null.
 */
export function fixedTimeOnSchedule(fields: FormField[], values: FormValues): string | null {
  for (const field of fields) {
    if (field.kind === 'datetime' && (values[field.name] ?? field.initial).trim() !== '') return field.name;
  }
  return null;
}

export type FieldKind = 'text' | 'number' | 'datetime' | 'checkbox';

export interface FormField {
  name: string;
  kind: FieldKind;
  required: boolean;
  identifying: boolean;
  /** the initial value in the input: a fixed default, else blank */
  initial: string;
  /** shown under the field when the default is computed ('now', 'computed') */
  computedDefault: boolean;
  min: number | null;
  max: number | null;
  step: string | undefined;
  description: ParameterView['description'];
}

/**
 * The form's fields. `lang`, the screen's language, is the initial value of a `language`
 * parameter (importMembersJob's, the language of its rejects file's reasons) in place of the job's
 * fixed 'ko', so a run started from the English screen writes English reasons unless changed.
 */
export function buildFields(parameters: ParameterView[], lang?: Lang): FormField[] {
  return parameters.map((p) => {
    const kind: FieldKind = p.type === 'number' ? 'number' : p.type === 'dateTime' ? 'datetime' : p.type === 'boolean' ? 'checkbox' : 'text';
    const computed = p.default === 'now' || p.default === 'computed';
    let initial = '';
    if (!computed && p.default !== null) initial = String(p.default);
    if (p.name === 'language' && kind === 'text' && lang) initial = lang;
    return {
      name: p.name,
      kind,
      required: p.required && p.default === null,
      identifying: p.identifying,
      initial,
      computedDefault: computed,
      min: p.min,
      max: p.max,
      step: kind === 'number' ? (p.integer ? '1' : 'any') : undefined,
      description: p.description,
    };
  });
}

export type FormValues = Record<string, string>;

export interface FieldProblem {
  field: string;
  problem: 'required' | 'number' | 'integer' | 'min' | 'max' | 'dateTime';
}

/** The launch params from the form's values, or the first problem found. */
export function paramsFrom(fields: FormField[], values: FormValues, parameters: ParameterView[]): { params: Record<string, string | number | boolean> } | { problem: FieldProblem } {
  const params: Record<string, string | number | boolean> = {};
  for (const field of fields) {
    const raw = (values[field.name] ?? field.initial).trim();
    const spec = parameters.find((p) => p.name === field.name);
    if (field.kind === 'checkbox') {
      if (raw === '') continue;
      params[field.name] = raw === 'true';
      continue;
    }
    if (raw === '') {
      if (field.required) return { problem: { field: field.name, problem: 'required' } };
      continue;
    }
    if (field.kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { problem: { field: field.name, problem: 'number' } };
      if (spec?.integer && !Number.isInteger(n)) return { problem: { field: field.name, problem: 'integer' } };
      if (field.min !== null && n < field.min) return { problem: { field: field.name, problem: 'min' } };
      if (field.max !== null && n > field.max) return { problem: { field: field.name, problem: 'max' } };
      params[field.name] = n;
      continue;
    }
    if (field.kind === 'datetime') {
      // a time typed as 9:30 is 09:30 (DateTime24Input)
      const typed = localDateTime(raw);
      if (typed === null) return { problem: { field: field.name, problem: 'dateTime' } };
      params[field.name] = typed;
      continue;
    }
    params[field.name] = raw;
  }
  return { params };
}

export const PROBLEM_TEXT: Record<FieldProblem['problem'], { ko: string; en: string }> = {
  required: { ko: '값을 넣으세요', en: 'is required' },
  number: { ko: '숫자를 넣으세요', en: 'must be a number' },
  integer: { ko: '정수를 넣으세요', en: 'must be a whole number' },
  min: { ko: '값이 너무 작습니다', en: 'is too small' },
  max: { ko: '값이 너무 큽니다', en: 'is too large' },
  dateTime: { ko: '날짜와 시각을 넣으세요', en: 'must be a date and time' },
};
