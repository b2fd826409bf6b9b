// The launch form built from a job's parameter schema.
import { describe, expect, test } from 'vitest';
import type { ParameterView } from '../../../main/service/contract.ts';
import { buildFields, paramsFrom } from '../../../renderer/src/lib/paramForm.ts';

const param = (p: Partial<ParameterView> & Pick<ParameterView, 'name' | 'type'>): ParameterView => ({
  required: false,
  identifying: true,
  default: null,
  integer: false,
  min: null,
  max: null,
  description: null,
  ...p,
});

// makeStatisticsJob's, as jobs.list gives them
const STATS: ParameterView[] = [
  param({ name: 'from', type: 'dateTime', default: 'computed' }),
  param({ name: 'to', type: 'dateTime', default: 'computed' }),
  param({ name: 'rerun', type: 'number', default: 0, integer: true, min: 0 }),
  param({ name: 'reportDir', type: 'string', default: '', identifying: false }),
];

describe('buildFields', () => {
  test('one field per parameter, of the right kind, with fixed defaults filled in', () => {
    const fields = buildFields([...STATS, param({ name: 'dryRun', type: 'boolean', default: false }), param({ name: 'bulkPassSeq', type: 'number', required: true, integer: true, min: 1 })]);
    expect(fields.map((f) => [f.name, f.kind, f.initial, f.computedDefault, f.required])).toEqual([
      ['from', 'datetime', '', true, false],
      ['to', 'datetime', '', true, false],
      ['rerun', 'number', '0', false, false],
      ['reportDir', 'text', '', false, false],
      ['dryRun', 'checkbox', 'false', false, false],
      ['bulkPassSeq', 'number', '', false, true],
    ]);
    expect(fields[2]!.step).toBe('1');
    expect(fields[3]!.identifying).toBe(false);
  });
});

describe('paramsFrom', () => {
  const fields = buildFields(STATS);

  test('blank fields are left out so the job default applies; numbers become numbers', () => {
    expect(paramsFrom(fields, {}, STATS)).toEqual({ params: { rerun: 0 } });
    expect(paramsFrom(fields, { from: '2026-11-16T00:00', rerun: '2', reportDir: ' /tmp/r ' }, STATS)).toEqual({
      params: { from: '2026-11-16T00:00', rerun: 2, reportDir: '/tmp/r' },
    });
  });

  test('refuses what the schema would, naming the field', () => {
    expect(paramsFrom(fields, { rerun: '1.5' }, STATS)).toEqual({ problem: { field: 'rerun', problem: 'integer' } });
    expect(paramsFrom(fields, { rerun: '-1' }, STATS)).toEqual({ problem: { field: 'rerun', problem: 'min' } });
    expect(paramsFrom(fields, { rerun: 'abc' }, STATS)).toEqual({ problem: { field: 'rerun', problem: 'number' } });
    expect(paramsFrom(fields, { from: 'yesterday' }, STATS)).toEqual({ problem: { field: 'from', problem: 'dateTime' } });
    const required = [param({ name: 'bulkPassSeq', type: 'number', required: true })];
    expect(paramsFrom(buildFields(required), {}, required)).toEqual({ problem: { field: 'bulkPassSeq', problem: 'required' } });
  });
});
