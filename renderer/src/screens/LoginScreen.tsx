// 1. 로그인, and on the first run (no staff account yet) choosing the admin's password instead.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import { useT } from '../i18n/i18n.ts';
import { adminPasswordProblem, useSession } from '../stores/session.ts';

export function LoginScreen() {
  const needsAdmin = useSession((s) => s.needsAdmin);
  const checkSetup = useSession((s) => s.checkSetup);

  useEffect(() => {
    void checkSetup();
  }, [checkSetup]);

  return (
    <div className="login-page">
      {needsAdmin === null ? <Checking /> : needsAdmin ? <FirstAdminForm /> : <SignInForm />}
    </div>
  );
}

function Brand() {
  const { t } = useT();
  return (
    <div className="brand brand-large">
      <span className="brand-mark" aria-hidden="true">P</span>
      {t('appName')}
    </div>
  );
}

function Checking() {
  const { t } = useT();
  return (
    <div className="login-card" role="status" aria-live="polite">
      <Brand />
      <div className="state state-loading">
        <span className="spinner" aria-hidden="true" />
        {t('loading')}
      </div>
    </div>
  );
}

function SignInForm() {
  const { t, pick } = useT();
  const login = useSession((s) => s.login);
  const busy = useSession((s) => s.busy);
  const error = useSession((s) => s.error);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!username || !password) return;
    void login(username.trim(), password);
  };

  return (
    <LoginCard
      id="login"
      title={t('signInTitle')}
      hint={t('signInHint')}
      onSubmit={submit}
      error={error ? pick(error) : null}
      submit={{ label: busy ? t('signingIn') : t('signIn'), busy, testId: 'sign-in' }}
    >
      <label className="field">
        <span className="field-label">{t('username')}</span>
        <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      <label className="field">
        <span className="field-label">{t('password')}</span>
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
    </LoginCard>
  );
}

/** First run: the admin account's password, typed twice; the console opens signed in. */
export function FirstAdminForm() {
  const { t, pick } = useT();
  const createAdmin = useSession((s) => s.createAdmin);
  const busy = useSession((s) => s.busy);
  const error = useSession((s) => s.error);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  // Mistakes are shown once the form has been sent, not while the first characters are typed.
  const [tried, setTried] = useState(false);
  const problem = adminPasswordProblem(password, confirmation);
  const shown = tried ? problem : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problem) return;
    void createAdmin(password);
  };

  return (
    <LoginCard
      id="setup"
      title={t('setupTitle')}
      hint={t('setupHint')}
      onSubmit={submit}
      error={shown ? t(shown) : error ? pick(error) : null}
      submit={{ label: busy ? t('setupCreating') : t('setupSubmit'), busy, testId: 'setup-submit' }}
    >
      <p className="setup-account">{t('setupAccount')}</p>
      <NewPasswordFields
        value={password}
        confirmation={confirmation}
        onValue={setPassword}
        onConfirmation={setConfirmation}
        shown={shown}
        rule={{ id: 'setup-rule', text: t('passwordRule') }}
        testIds={{ value: 'setup-password', confirmation: 'setup-confirm' }}
        autoFocus
      />
    </LoginCard>
  );
}

/**
 * The card both forms share: the brand, a title and a hint, the fields, one error line
 * (`<id>-error`), the submit button and the language switch. The setup form checks its own
 * rules (noValidate), so its error line can name them.
 */
function LoginCard(props: {
  id: 'login' | 'setup';
  title: string;
  hint: string;
  onSubmit: (e: FormEvent) => void;
  error: string | null;
  submit: { label: string; busy: boolean; testId: string };
  children: ReactNode;
}) {
  const { id, title, hint, onSubmit, error, submit, children } = props;
  return (
    <form className="login-card" onSubmit={onSubmit} aria-labelledby={`${id}-title`} data-testid={id === 'setup' ? 'setup-form' : undefined} noValidate={id === 'setup'}>
      <Brand />
      <h1 id={`${id}-title`}>{title}</h1>
      <p className="muted">{hint}</p>
      {children}
      {error && (
        <p className="field-error" role="alert" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={submit.busy} data-testid={submit.testId}>
        {submit.label}
      </button>
      <div className="login-foot">
        <LanguageSwitch />
      </div>
    </form>
  );
}
