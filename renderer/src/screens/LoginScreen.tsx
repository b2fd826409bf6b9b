// 1. 로그인.
import { useState, type FormEvent } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { useT } from '../i18n/i18n.ts';
import { useSession } from '../stores/session.ts';

export function LoginScreen() {
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
    <div className="login-page">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">P</span>
          {t('appName')}
        </div>
        <h1 id="login-title">{t('signInTitle')}</h1>
        <p className="muted">{t('signInHint')}</p>
        <label className="field">
          <span className="field-label">{t('username')}</span>
          <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label className="field">
          <span className="field-label">{t('password')}</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && (
          <p className="field-error" role="alert" data-testid="login-error">
            {pick(error)}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="sign-in">
          {busy ? t('signingIn') : t('signIn')}
        </button>
        <div className="login-foot">
          <LanguageSwitch />
        </div>
      </form>
    </div>
  );
}
