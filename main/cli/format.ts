// How values read on a terminal: times in the gym's time zone (staff think in local time,
// the database stores UTC), durations a person can take in at a glance, grouped counts.
import { DateTime } from 'luxon';
import type { JobParameter, ParameterSpec } from '../batch/index.ts';

export const TIME_FORMAT = 'yyyy-LL-dd HH:mm:ss';

export function formatTime(date: Date | null | undefined, timeZone: string): string {
  if (!date) return '-';
  return DateTime.fromJSDate(date, { zone: timeZone }).toFormat(TIME_FORMAT);
}

/** 850 ms, 12.3 s, 4m 05s, 2h 07m: precise when short, coarse when long. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function durationBetween(start: Date | null, end: Date | null, now = new Date()): number | null {
  if (!start) return null;
  return (end ?? now).getTime() - start.getTime();
}

const COUNT = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return COUNT.format(n);
}

export function formatParameterValue(value: JobParameter['value'], timeZone: string): string {
  return value instanceof Date ? formatTime(value, timeZone) : String(value);
}

/** `run=default, failAt=0`, or `(none)`. */
export function formatParameters(parameters: JobParameter[], timeZone: string): string {
  if (!parameters.length) return '(none)';
  return parameters.map((p) => `${p.name}=${formatParameterValue(p.value, timeZone)}`).join(', ');
}

/** A declared default as `jobs` shows it: a function is worked out at launch, so say so. */
export function formatDefault(spec: ParameterSpec, timeZone: string): string {
  if (spec.default === undefined) return spec.required ? '(required)' : '-';
  if (typeof spec.default === 'function') return '(at launch)';
  return formatParameterValue(spec.default, timeZone);
}
