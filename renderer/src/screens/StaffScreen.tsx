// 8c. 직원 계정 (admin): the accounts, a new one, role changes, disable / enable, a sign-in lock lifted.
// KIOSK is the check-in kiosk's account (issue 18, slice 4): it can check members in and nothing else.
import { useEffect, useState, type FormEvent } from 'react';
import type { Role } from '../../../main/service/contract.ts';
import { confirmAction, Empty, Field, Loaded, PageHeader, Table } from '../components/common.tsx';
import { both, translate, useT } from '../i18n/i18n.ts';
import { ROLE_NAME } from '../i18n/words.ts';
import { formatDateTime } from '../lib/format.ts';
import { PASSWORD_RULE, usernameHint, usernameProblem } from '../lib/usernameRule.ts';
import { useStaff } from '../stores/admin.ts';
import { adminPasswordProblem, useSession } from '../stores/session.ts';
import { useUi } from '../stores/ui.ts';

const ROLES: Role[] = ['FRONT_DESK', 'MANAGER', 'ADMIN', 'KIOSK'];

export function StaffScreen() {
  const { t, pick, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const me = useSession((s) => s.me);
  const { staff, reload, create, setRole, setActive, unlock } = useStaff();
  const [settingFor, setSettingFor] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setNewRole] = useState<Role>('FRONT_DESK');
  // the rules are checked here, in the screen's language, once Create was pressed (the form has
  // noValidate: the browser's own "Please match the requested format." is neither)
  const [tried, setTried] = useState(false);
  const nameProblem = usernameProblem(username, lang);
  const passwordProblem = password.length < PASSWORD_RULE.min ? 'passwordTooShort' : password.length > PASSWORD_RULE.max ? 'passwordTooLong' : null;

  useEffect(() => {
    void reload();
  }, [reload]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (nameProblem || passwordProblem) return;
    const outcome = await create(username.trim(), password, role);
    if (outcome.ok) {
      toast('success', both('staffCreated'));
      setUsername('');
      setPassword('');
      setTried(false);
    } else toast('error', outcome.error);
  };

  const changeRole = async (u: string, r: Role) => {
    if (!(await confirmAction({ title: t('role'), body: t('roleConfirm', { u, r: pick(ROLE_NAME[r]) }), confirmLabel: t('confirm') }))) return;
    const outcome = await setRole(u, r);
    // each language with its own word for the role
    const said = { ko: translate('ko', 'staffRoleChanged', { u, r: ROLE_NAME[r].ko }), en: translate('en', 'staffRoleChanged', { u, r: ROLE_NAME[r].en }) };
    toast(outcome.ok ? 'success' : 'error', outcome.ok ? said : outcome.error);
  };
  const toggle = async (u: string, active: boolean) => {
    if (!active && !(await confirmAction({ title: t('disableStaff'), body: t('disableConfirm', { u }), confirmLabel: t('disableStaff'), danger: true }))) return;
    const outcome = await setActive(u, active);
    toast(outcome.ok ? 'success' : 'error', outcome.ok ? both(active ? 'staffEnabled' : 'staffDisabled', { u }) : outcome.error);
  };

  const lift = async (u: string) => {
    if (!(await confirmAction({ title: t('unlockStaff'), body: t('unlockConfirm', { u }), confirmLabel: t('unlockStaff') }))) return;
    const outcome = await unlock(u);
    toast(outcome.ok ? 'success' : 'error', outcome.ok ? both('staffUnlocked') : outcome.error);
  };

  return (
    <div className="page">
      <PageHeader title={t('navStaff')} />
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate data-testid="staff-new-form">
        <h2>{t('newStaff')}</h2>
        <div className="form-grid form-grid-4">
          <Field label={t('username')} hint={usernameHint(lang)} error={tried ? nameProblem : null}>
            <input
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-invalid={tried && nameProblem ? true : undefined}
              autoComplete="off"
              data-testid="staff-new-username"
            />
          </Field>
          <Field label={t('password')} hint={t('passwordRules')} error={tried && passwordProblem ? t(passwordProblem) : null}>
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={tried && passwordProblem ? true : undefined}
              autoComplete="new-password"
              data-testid="staff-new-password"
            />
          </Field>
          <Field label={t('role')} hint={role === 'KIOSK' ? t('kioskRoleHint') : undefined}>
            <select value={role} onChange={(e) => setNewRole(e.target.value as Role)} data-testid="staff-new-role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {pick(ROLE_NAME[r])}
                </option>
              ))}
            </select>
          </Field>
          <div className="field field-button">
            <button type="submit" className="btn btn-primary" data-testid="staff-new-submit">
              {t('create')}
            </button>
          </div>
        </div>
      </form>
      {settingFor && <SetPasswordForm username={settingFor} onClose={() => setSettingFor(null)} />}
      <section className="card">
        <Loaded load={staff} onRetry={() => void reload()}>
          {(list) =>
            list.length === 0 ? (
              <Empty>{t('none')}</Empty>
            ) : (
              <Table columns={[t('username'), t('role'), t('status'), t('createdAt'), t('lastLogin'), null]}>
                  {list.map((s) => (
                    <tr key={s.username} data-testid="staff-row" data-user={s.username} data-role={s.role}>
                      <td>{s.username}</td>
                      <td>
                        <select value={s.role} onChange={(e) => void changeRole(s.username, e.target.value as Role)} disabled={s.username === me?.username} aria-label={`${t('role')} ${s.username}`}>
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {pick(ROLE_NAME[r])}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <span className={`badge ${s.active ? 'badge-ok' : 'badge-mute'}`}>{s.active ? t('active') : t('inactive')}</span>
                        {s.mustChangePassword && (
                          <span className="badge badge-warn" data-testid="staff-must-change">
                            {t('mustChange')}
                          </span>
                        )}
                        {s.lockedUntil && (
                          <span className="badge badge-warn" data-testid="staff-locked">
                            {t('signInLocked', { until: formatDateTime(s.lockedUntil, lang, zone) })}
                          </span>
                        )}
                      </td>
                      <td data-testid="staff-created">
                        <DateAndTime text={formatDateTime(s.createdAt, lang, zone)} />
                      </td>
                      <td data-testid="staff-last-login">
                        <DateAndTime text={formatDateTime(s.lastLoginAt, lang, zone)} />
                      </td>
                      <td>
                        <div className="row-actions">
                        {s.username !== me?.username && (
                          <button type="button" className="btn btn-small" onClick={() => setSettingFor(s.username)} data-testid="staff-set-password" data-user={s.username}>
                            {t('setPassword')}
                          </button>
                        )}
                        {s.lockedUntil && (
                          <button type="button" className="btn btn-small" onClick={() => void lift(s.username)} data-testid="staff-unlock" data-user={s.username}>
                            {t('unlockStaff')}
                          </button>
                        )}
                        {s.username !== me?.username && (
                          <button type="button" className="btn btn-small" onClick={() => void toggle(s.username, !s.active)} data-testid="staff-toggle" data-user={s.username}>
                            {s.active ? t('disableStaff') : t('enableStaff')}
                          </button>
                        )}
                        </div>
                      </td>
                    </tr>
                  ))}
              </Table>
            )
          }
        </Loaded>
      </section>
    </div>
  );
}

/**
 * A date and time that may break between the two but never inside either: in a 1024 px window
 * "Dec 7, 2026," over "15:17", not "Dec 7, / 2026, / 15:17".
 */
function DateAndTime({ text }: { text: string }) {
  const cut = text.lastIndexOf(' ');
  if (cut < 0) return <>{text}</>;
  return (
    <>
      <span className="nowrap">{text.slice(0, cut)}</span> <span className="nowrap">{text.slice(cut + 1)}</span>
    </>
  );
}

/** An admin's new password for someone: typed twice, confirmed, then their sessions end and they choose their own at the next sign-in. */
function SetPasswordForm({ username, onClose }: { username: string; onClose: () => void }) {
  const { t } = useT();
  const toast = useUi((s) => s.toast);
  const setPassword = useStaff((s) => s.setPassword);
  const [password, setValue] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [tried, setTried] = useState(false);
  const problem = adminPasswordProblem(password, confirmation);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problem) return;
    if (!(await confirmAction({ title: t('setPassword'), body: t('setPasswordConfirm', { u: username }), confirmLabel: t('setPassword'), danger: true }))) return;
    const outcome = await setPassword(username, password);
    if (outcome.ok) {
      toast('success', both('passwordSet'));
      onClose();
    } else toast('error', outcome.error);
  };

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} noValidate data-testid="set-password-form">
      <h2>{t('setPasswordFor', { u: username })}</h2>
      <div className="form-grid form-grid-4">
        <Field label={t('newPassword')} hint={t('passwordRules')} error={tried && problem !== 'passwordMismatch' && problem ? t(problem) : null}>
          <input type="password" value={password} onChange={(e) => setValue(e.target.value)} autoComplete="new-password" autoFocus data-testid="set-password-new" />
        </Field>
        <Field label={t('confirmPassword')} error={tried && problem === 'passwordMismatch' ? t(problem) : null}>
          <input type="password" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} autoComplete="new-password" data-testid="set-password-confirm" />
        </Field>
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" data-testid="set-password-submit">
            {t('setPassword')}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </div>
    </form>
  );
}
