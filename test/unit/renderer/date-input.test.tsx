// @vitest-environment happy-dom
// A day typed as 2026-12-01 (DateInput): a complete day or none is passed on as it is typed, what
// is not yet a day only when the field is left (for the form to say so), a day picked on the
// calendar is typed into the field, and a value set from outside replaces what was typed.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, expect, test } from 'vitest';
import { DateInput, isDay } from '../../../renderer/src/components/DateInput.tsx';

afterEach(cleanup);

function Form({ seen }: { seen: string[] }) {
  const [value, setValue] = useState('');
  return (
    <>
      <DateInput value={value} onChange={(v) => { seen.push(v); setValue(v); }} testId="day" />
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
