// A new password typed twice, with its rule under it: the first run's admin password and a
// person's own new password (ChangePasswordScreen) are asked for the same way.
import { useT } from '../i18n/i18n.ts';
import { ADMIN_PASSWORD_MIN, type adminPasswordProblem } from '../stores/session.ts';

type PasswordProblem = NonNullable<ReturnType<typeof adminPasswordProblem>>;

export interface NewPasswordFieldsProps {
  value: string;
  confirmation: string;
  onValue(value: string): void;
  onConfirmation(value: string): void;
  /** the mistake shown (once the form was sent), which marks its field invalid */
  shown: PasswordProblem | null;
  /** the rule under the first field, and the id that ties it to the field */
  rule: { id: string; text: string };
  testIds: { value: string; confirmation: string };
  autoFocus?: boolean;
}

export function NewPasswordFields({ value, confirmation, onValue, onConfirmation, shown, rule, testIds, autoFocus }: NewPasswordFieldsProps) {
  const { t } = useT();
  return (
    <>
      <label className="field">
        <span className="field-label">{t('newPassword')}</span>
        <input
          name="new-password"
          type="password"
          autoComplete="new-password"
          autoFocus={autoFocus}
          minLength={ADMIN_PASSWORD_MIN}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          aria-invalid={shown === 'passwordTooShort' || shown === 'passwordTooLong' ? true : undefined}
          aria-describedby={rule.id}
          data-testid={testIds.value}
        />
        <span className="field-hint" id={rule.id}>
          {rule.text}
        </span>
      </label>
      <label className="field">
        <span className="field-label">{t('confirmPassword')}</span>
        <input
          name="confirm-password"
          type="password"
          autoComplete="new-password"
          value={confirmation}
          onChange={(e) => onConfirmation(e.target.value)}
          aria-invalid={shown === 'passwordMismatch' ? true : undefined}
          data-testid={testIds.confirmation}
        />
      </label>
    </>
  );
}
