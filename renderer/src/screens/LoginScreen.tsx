// 1. 로그인, and on the first run (no staff account yet) choosing the admin's password instead,
// and how the gym starts: empty for real use (the default), or with the demo gym to try it.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import { useT } from '../i18n/i18n.ts';
import { adminPasswordProblem, useSession, type FirstGym } from '../stores/session.ts';

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

/**
 * First run: the admin account's password, typed twice, and how the gym starts (an empty gym
 * first and chosen, the demo gym second; no choice when the database already has gym data); the
 * console opens signed in.
 */
export function FirstAdminForm() {
  const { t, pick } = useT();
  const createAdmin = useSession((s) => s.createAdmin);
  const busy = useSession((s) => s.busy);
  const error = useSession((s) => s.error);
  const hasGymData = useSession((s) => s.hasGymData);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [gym, setGym] = useState<FirstGym>('empty');
  const [sent, setSent] = useState<FirstGym>('empty');
  // Mistakes are shown once the form has been sent, not while the first characters are typed.
  const [tried, setTried] = useState(false);
  const problem = adminPasswordProblem(password, confirmation);
  const shown = tried ? problem : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problem) return;
    const chosen = hasGymData ? 'empty' : gym;
    setSent(chosen);
    void createAdmin(password, chosen);
  };

  return (
    <LoginCard
      id="setup"
      title={t('setupTitle')}
      hint={t('setupHint')}
      onSubmit={submit}
      error={shown ? t(shown) : error ? pick(error) : null}
      submit={{ label: busy ? t('setupCreating') : t('setupSubmit'), busy, testId: 'setup-submit' }}
      busyText={busy && sent === 'demo' ? t('setupAddingDemo') : null}
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
      {hasGymData ? (
        <p className="muted" data-testid="setup-gym-has-data">
          {t('setupGymHasData')}
        </p>
      ) : (
        <fieldset className="field setup-gym" disabled={busy} data-testid="setup-gym">
          <legend className="field-label">{t('setupGymLegend')}</legend>
          <GymChoice value="empty" chosen={gym} onChoose={setGym} label={t('setupGymEmpty')} hint={t('setupGymEmptyHint')} />
          <GymChoice value="demo" chosen={gym} onChoose={setGym} label={t('setupGymDemo')} hint={t('setupGymDemoHint')} />
        </fieldset>
      )}
    </LoginCard>
  );
}

/** One way to start the gym: a radio button, its name and what it does (read with it). */
function GymChoice(props: { value: FirstGym; chosen: FirstGym; onChoose: (gym: FirstGym) => void; label: string; hint: string }) {
  const { value, chosen, onChoose, label, hint } = props;
  const labelId = `setup-gym-${value}-label`;
  const hintId = `setup-gym-${value}-hint`;
  // The whole box is the label to click; the name read out is the choice's, its hint the description.
  return (
    <label className="setup-gym-choice">
      <input type="radio" name="gym" value={value} checked={chosen === value} onChange={() => onChoose(value)} aria-labelledby={labelId} aria-describedby={hintId} data-testid={`setup-gym-${value}`} />
      <span>
        <span className="setup-gym-label" id={labelId}>
          {label}
        </span>
        <span className="setup-gym-hint" id={hintId}>
          {hint}
        </span>
      </span>
    </label>
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
  /** said under the button while the form is being sent (the demo gym takes seconds); the line is a live region, there before it speaks */
  busyText?: string | null;
  children: ReactNode;
}) {
  const { id, title, hint, onSubmit, error, submit, busyText, children } = props;
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
      {busyText !== undefined && (
        <p className="setup-busy" role="status" aria-live="polite" data-testid={`${id}-busy`}>
          {busyText}
        </p>
      )}
      <div className="login-foot">
        <LanguageSwitch />
      </div>
    </form>
  );
}
