// A job's parameters as form fields (the launch form, a schedule's parameters): one input per
// parameter, its description, default and whether it identifies the instance as the hint.
import type { FormField, FormValues } from '../lib/paramForm.ts';
import { useT } from '../i18n/i18n.ts';
import { Field } from './common.tsx';

export function ParamFields({
  fields,
  values,
  onChange,
  problem,
}: {
  fields: FormField[];
  values: FormValues;
  onChange: (name: string, value: string) => void;
  problem: { field: string; text: string } | null;
}) {
  const { t, pick } = useT();
  return (
    <div className="form-grid">
      {fields.map((f) => {
        const value = values[f.name] ?? f.initial;
        const hint = [
          f.description ? pick(f.description) : null,
          f.computedDefault ? t('computedDefault') : f.initial ? t('defaultValue', { v: f.initial }) : null,
          f.identifying ? t('identifying') : null,
        ]
          .filter(Boolean)
          .join(' · ');
        const error = problem?.field === f.name ? problem.text : null;
        const set = (v: string) => onChange(f.name, v);
        return (
          <Field key={f.name} label={`${f.name}${f.required ? ` (${t('required')})` : ''}`} hint={hint} error={error}>
            {f.kind === 'checkbox' ? (
              <select value={value} onChange={(e) => set(e.target.value)} data-param={f.name}>
                <option value="">–</option>
                <option value="true">{t('yes')}</option>
                <option value="false">{t('no')}</option>
              </select>
            ) : (
              <input
                type={f.kind === 'number' ? 'number' : f.kind === 'datetime' ? 'datetime-local' : 'text'}
                value={value}
                min={f.min ?? undefined}
                max={f.max ?? undefined}
                step={f.step}
                required={f.required}
                onChange={(e) => set(e.target.value)}
                data-param={f.name}
                aria-invalid={error ? true : undefined}
              />
            )}
          </Field>
        );
      })}
    </div>
  );
}
