// @vitest-environment happy-dom
// A day typed as 2026-12-01 (DateInput): a complete day or none is passed on as it is typed, what
// is not yet a day only when the field is left (for the form to say so), a day picked on the
// calendar is typed into the field, and a value set from outside replaces what was typed. A form
// that reads its days when it is sent (asTyped) gets every change, a day or not.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, expect, test } from 'vitest';
import { DateInput } from '../../../renderer/src/components/DateInput.tsx';
import { dayRangeProblem, isDay } from '../../../renderer/src/lib/time24.ts';

afterEach(cleanup);

function Form({ seen, asTyped }: { seen: string[]; asTyped?: boolean }) {
  const [value, setValue] = useState('');
  return (
    <>
      <DateInput value={value} onChange={(v) => { seen.push(v); setValue(v); }} asTyped={asTyped} data-param="day" testId="day" />
      <button type="button" onClick={() => setValue('')}>clear</button>
    </>
  );
}

test('a day is passed on once it is complete, what is not one when the field is left, and a calendar pick is typed in', () => {
  const seen: string[] = [];
  render(<Form seen={seen} />);
  const field = screen.getByTestId('day') as HTMLInputElement;
  expect(field.type).toBe('text');
  fireEvent.change(field, { target: { value: '2026-12-0' } });
  expect(seen).toEqual([]);
  fireEvent.change(field, { target: { value: '2026-12-07' } });
  expect(seen).toEqual(['2026-12-07']);
  fireEvent.change(field, { target: { value: '2026-02-30' } });
  expect(seen).toEqual(['2026-12-07']);
  fireEvent.blur(field);
  expect(seen).toEqual(['2026-12-07', '2026-02-30']);
  const calendar = document.querySelector('input[type=date]') as HTMLInputElement;
  fireEvent.change(calendar, { target: { value: '2026-11-28' } });
  expect(field.value).toBe('2026-11-28');
  expect(seen.at(-1)).toBe('2026-11-28');
  fireEvent.click(screen.getByText('clear'));
  expect(field.value).toBe('');
});

test('a day is one of the calendar, in the form 2026-12-01', () => {
  expect(['2026-12-01', '2028-02-29', '2026-02-29', '2026-13-01', '12/01/2026', '2026-1-01'].map(isDay)).toEqual([true, true, false, false, false, false]);
});

test('a form that reads its day when it is sent gets every change as typed, a day or not, and names the field as it asks', () => {
  const seen: string[] = [];
  render(<Form seen={seen} asTyped />);
  const field = screen.getByTestId('day') as HTMLInputElement;
  expect(field.getAttribute('data-param')).toBe('day');
  fireEvent.change(field, { target: { value: '2026-12-0' } });
  fireEvent.change(field, { target: { value: '2026-02-30' } });
  fireEvent.change(field, { target: { value: '12/07/2026 ' } });
  expect(seen).toEqual(['2026-12-0', '2026-02-30', '12/07/2026']);
  fireEvent.blur(field);
  expect(seen).toHaveLength(3);
});

test('a range of days can be asked for when each is a day or none and the last is not before the first', () => {
  expect([dayRangeProblem('', ''), dayRangeProblem('2026-12-01', ''), dayRangeProblem('2026-12-01', '2026-12-01'), dayRangeProblem('2026-02-30', ''), dayRangeProblem('', '12/07/2026'), dayRangeProblem('2026-12-02', '2026-12-01')]).toEqual([
    null,
    null,
    null,
    'badDate',
    'badDate',
    'reversed',
  ]);
});
