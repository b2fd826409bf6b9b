// A date and a time of day, the time always in 24-hour form (14:30). An <input type="datetime-local">
// shows its time as the browser's locale does ("12:00 AM" in an en-US browser) while the console
// says 24-hour times everywhere (and an <input type="date"> shows 12/01/2026 there), so the day is
// typed as 2026-12-01 or picked on the calendar (DateInput) and the time typed beside it. The value
// is as datetime-local's: 2026-12-01T14:30, or 2026-12-01 with no time (the start of that day), or
// what was typed when it is not yet a day and a time (the form then says so: lib/time24.ts).
// The day's field takes the name of the <label> around it; the time field is named by `label` (the
// field's own name, so a form with two of these says which time is which) and the 24-hour hint.
import type { InputHTMLAttributes } from 'react';
import { useT } from '../i18n/i18n.ts';
import { DateInput } from './DateInput.tsx';

export function DateTime24Input({
  value,
  onChange,
  invalid,
  name,
  label,
  testId,
}: {
  value: string;
  onChange(value: string): void;
  invalid?: boolean;
  name: string;
  /** the field's name, said before the time field's hint */
  label?: string;
  /** the day's field's data-testid; the time field's is this with -time, the calendar button's with -pick */
  testId?: string;
}) {
  const { t } = useT();
  const at = value.indexOf('T');
  const day = at < 0 ? value : value.slice(0, at);
  const time = at < 0 ? '' : value.slice(at + 1);
  const join = (d: string, hm: string) => (hm.trim() === '' ? d : `${d}T${hm.trim()}`);
  return (
    <span className="date-time-24">
      <DateInput value={day} onChange={(d) => onChange(join(d, time))} asTyped invalid={invalid} data-param={name} testId={testId} />
      <Time24Input
        value={time}
        onChange={(hm) => onChange(join(day, hm))}
        invalid={invalid}
        aria-label={label ? `${label}: ${t('timeOfDay24')}` : t('timeOfDay24')}
        title={t('timeOfDay24')}
        data-param-time={name}
        data-testid={testId ? `${testId}-time` : undefined}
      />
    </span>
  );
}

/**
 * A time of day typed in 24-hour form (an <input type="time"> shows 7:00 PM in an en-US browser):
 * a text box for digits, as wide as 00:00; what was typed is read by lib/time24.ts. Every other
 * attribute (its name, a test id, required) is the caller's.
 */
export function Time24Input({
  value,
  onChange,
  invalid,
  ...attributes
}: { value: string; onChange(value: string): void; invalid?: boolean } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'>) {
  return (
    <input
      type="text"
      inputMode="numeric"
      placeholder="00:00"
      maxLength={8}
      size={6}
      {...attributes}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-invalid={invalid ? true : undefined}
    />
  );
}
