// A job's parameters as form fields (the launch form, a schedule's parameters): one input per
// parameter labelled in words (its code name small under the input, as the command line and the
// logs name it), its description, default and whether a new value makes a new run as the hint.
import { paramLabel, type FormField, type FormValues } from '../lib/paramForm.ts';
import { useT } from '../i18n/i18n.ts';
import { Field } from './common.tsx';
import { DateTime24Input } from './DateTime24Input.tsx';

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
  const { t, pick, lang } = useT();
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
          <Field key={f.name} label={`${paramLabel(f.name, lang, f.description)}${f.required ? ` (${t('required')})` : ''}`} hint={hint} error={error}>
            {f.kind === 'checkbox' ? (
              <select value={value} onChange={(e) => set(e.target.value)} data-param={f.name}>
                <option value="">–</option>
                <option value="true">{t('yes')}</option>
                <option value="false">{t('no')}</option>
              </select>
            ) : f.kind === 'datetime' ? (
              <DateTime24Input value={value} onChange={set} invalid={error !== null} name={f.name} />
            ) : (
              <input
                type={f.kind === 'number' ? 'number' : 'text'}
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
            <span className="param-code mono muted small" data-testid="param-code">
              {f.name}
            </span>
          </Field>
        );
      })}
    </div>
  );
}
