// A day, always read and typed as 2026-12-01. An <input type="date"> shows its day as the
// browser's locale does (12/01/2026 in an en-US browser, on the Korean screen too), so the day is
// a text field in the one form the console uses, with a button beside it that opens the browser's
// calendar to pick it. A filter that asks at each change (the Executions screen's) gets a complete
// day (or none) as it is typed and what was typed when it is not yet a day when the field is left,
// for the filter to say so ('not a valid date'); a form that reads its days when it is sent
// (`asTyped`: the run form, a class, a pass's start, a range shown on a button) gets every change,
// as its time fields do, and says what is not a day then (lib/time24.ts `isDay`). The field takes
// the name of the <label> around it; any other attribute (data-param, required) is the text field's.
import { useEffect, useRef, useState, type InputHTMLAttributes } from 'react';
import { useT } from '../i18n/i18n.ts';
import { isDay } from '../lib/time24.ts';

export function DateInput({
  value,
  onChange,
  invalid,
  min,
  max,
  testId,
  asTyped,
  ...attributes
}: {
  value: string;
  onChange(value: string): void;
  invalid?: boolean;
  /** the calendar's earliest and latest day (2026-12-01) */
  min?: string;
  max?: string;
  /** the text field's data-testid; the calendar button's is this with -pick */
  testId?: string;
  /** every change passed on as typed (trimmed), a day or not, for a form that checks it when it is sent */
  asTyped?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'min' | 'max'>) {
  const { t } = useT();
  const [text, setText] = useState(value);
  const picker = useRef<HTMLInputElement>(null);
  // a value set from outside (the filter cleared) replaces what is typed
  useEffect(() => setText(value), [value]);
  const typed = (next: string) => {
    setText(next);
    const day = next.trim();
    if (asTyped ? day !== value : day === '' || isDay(day)) onChange(day);
  };
  return (
    <span className="date-input">
      <input
        {...attributes}
        type="text"
        inputMode="numeric"
        value={text}
        placeholder="YYYY-MM-DD"
        maxLength={10}
        size={11}
        onChange={(e) => typed(e.target.value)}
        onBlur={() => {
          if (text.trim() !== value) onChange(text.trim());
        }}
        title={t('dayTyped')}
        aria-invalid={invalid ? true : undefined}
        data-testid={testId}
      />
      <button
        type="button"
        className="btn btn-small date-input-pick"
        onClick={() => {
          try {
            picker.current?.showPicker();
          } catch {
            // a browser without the picker, or one that will not open it now: the day can be typed
          }
        }}
        aria-label={t('pickDay')}
        title={t('pickDay')}
        data-testid={testId ? `${testId}-pick` : undefined}
      >
        {/* drawn, not a character: a machine without an emoji font would show a box */}
        <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor" />
          <path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor" />
        </svg>
      </button>
      <input
        ref={picker}
        type="date"
        className="date-input-calendar"
        tabIndex={-1}
        aria-hidden="true"
        value={isDay(text.trim()) ? text.trim() : ''}
        min={min && isDay(min) ? min : undefined}
        max={max && isDay(max) ? max : undefined}
        onChange={(e) => typed(e.target.value)}
      />
    </span>
  );
}
