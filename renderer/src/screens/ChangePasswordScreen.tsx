// 비밀번호 변경: a person's own password. Shown before anything else while the account's password
// was generated (the first run's) or set by an admin, and from the sidebar at any time. The
// service checks the current password and the rules (10+ characters, not the username, not a
// common one) and says which one failed; this form checks the length and the repeat first.
import { useState, type FormEvent } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import { both, useT } from '../i18n/i18n.ts';
import { adminPasswordProblem, useSession } from '../stores/session.ts';
import { useUi } from '../stores/ui.ts';

export function ChangePasswordScreen() {
  const { t, pick } = useT();
  const me = useSession((s) => s.me);
  const busy = useSession((s) => s.busy);
  const error = useSession((s) => s.error);
  const changePassword = useSession((s) => s.changePassword);
  const close = useSession((s) => s.closeChangePassword);
  const logout = useSession((s) => s.logout);
  const toast = useUi((s) => s.toast);
  const forced = me?.mustChangePassword === true;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [tried, setTried] = useState(false);
  const problem = adminPasswordProblem(next, confirmation);
  const shown = tried ? problem : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problem || !current) return;
    if (await changePassword(current, next)) toast('success', both('passwordChanged'));
  };

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="change-password-title" data-testid="change-password-form" noValidate>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">P</span>
          {t('appName')}
        </div>
        <h1 id="change-password-title">{t('changePasswordTitle')}</h1>
        <p className="muted" data-testid="change-password-hint">
          {forced ? t('mustChangePasswordHint', { u: me?.username ?? '' }) : t('changePasswordHint')}
        </p>
        <label className="field">
          <span className="field-label">{t('currentPassword')}</span>
          <input name="current-password" type="password" autoComplete="current-password" autoFocus value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="current-password" />
        </label>
        <NewPasswordFields
          value={next}
          confirmation={confirmation}
          onValue={setNext}
          onConfirmation={setConfirmation}
          shown={shown}
          rule={{ id: 'change-password-rule', text: t('passwordRules') }}
          testIds={{ value: 'new-password', confirmation: 'confirm-password' }}
        />
        {(shown || error) && (
          <p className="field-error" role="alert" data-testid="change-password-error">
            {shown ? t(shown) : error ? pick(error) : null}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="change-password-submit">
          {busy ? t('saving') : t('changePassword')}
        </button>
        <div className="login-foot">
          {forced ? (
            <button type="button" className="btn btn-ghost" onClick={() => void logout()} data-testid="change-password-sign-out">
              {t('signOut')}
            </button>
          ) : (
            <button type="button" className="btn btn-ghost" onClick={close} data-testid="change-password-cancel">
              {t('cancel')}
            </button>
          )}
          <LanguageSwitch />
        </div>
      </form>
    </div>
  );
}
