// A time zone typed or picked from the runtime's list of Area/City names (and UTC): the gym's zone
// in Settings and a schedule's zone in its editor are chosen the same way.
import { useId, useMemo } from 'react';
import { timeZoneNames } from '../stores/settings.ts';

export function TimeZoneInput({ value, onChange, invalid, testId }: { value: string; onChange(value: string): void; invalid?: boolean; testId?: string }) {
  const listId = useId();
  const zones = useMemo(timeZoneNames, []);
  return (
    <>
      <input
        list={listId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid ? true : undefined}
        autoComplete="off"
        spellCheck={false}
        data-testid={testId}
      />
      <datalist id={listId}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
