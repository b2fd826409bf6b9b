// 4. 회원 이용권: search by name, phone or id; the member's passes and recent bookings; register a pass.
import { DateTime } from 'luxon';
import { useEffect, useState, type FormEvent } from 'react';
import type { MemberPasses, PackageView } from '../../../main/service/contract.ts';
import { confirmAction, Empty, Field, FormActions, Loaded, PageHeader, PassBadge, ProgressBar } from '../components/common.tsx';
import { both, useT } from '../i18n/i18n.ts';
import { focusSoon } from '../lib/focus.ts';
import { formatDate, formatDateTime, formatNumber, formatPhone } from '../lib/format.ts';
import { passProgress, useMembers } from '../stores/members.ts';
import { useUi } from '../stores/ui.ts';

export function MembersScreen() {
  const { t, lang } = useT();
  const { query, setQuery, search, more, loadingMore, results, userId, open, member, loadPackages } = useMembers();
  const hasResults = results.state === 'ready' && results.data.members.length > 0;

  useEffect(() => {
    void loadPackages();
  }, [loadPackages]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void search();
  };

  return (
    <div className="page">
      <PageHeader title={t('navMembers')} />
      <form className="search-bar" role="search" onSubmit={submit}>
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t('memberSearch')}
          aria-label={t('memberSearch')}
          data-testid="member-query"
        />
        <button type="submit" className="btn btn-primary" data-testid="member-search">
          {t('search')}
        </button>
      </form>
      <div className="two-col">
        <section className="card list-card" aria-label={t('member')}>
          {results.state === 'idle' ? (
            <Empty>{t('searchHint')}</Empty>
          ) : (
            <Loaded load={results} onRetry={() => void search()}>
              {({ members }) =>
                members.length === 0 ? (
                  <Empty>{t('noMembers')}</Empty>
                ) : (
                  <ul className="pick-list">
                    {members.map((m) => (
                      <li key={m.userId}>
                        <button type="button" className={m.userId === userId ? 'selected' : ''} onClick={() => {
                            void open(m.userId);
                            // past the other results, straight to the member
                            focusSoon(`[data-testid=member-detail][data-user="${m.userId}"] h2`);
                          }}
                          data-testid="member-result" data-user={m.userId}>
                          <strong>{m.userName}</strong>
                          <span className="muted mono">{m.userId}</span>
                          <span className="muted">{formatPhone(m.phone)}</span>
                          <span className="pill">{t('livePasses')} {formatNumber(m.livePasses, lang)}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                )
              }
            </Loaded>
          )}
          {results.state === 'ready' && results.data.members.length > 0 && (
            <div className="pager" data-testid="member-count">
              <span>{t('membersShown', { total: formatNumber(results.data.total, lang), shown: formatNumber(results.data.members.length, lang) })}</span>
              {results.data.next && (
                <button type="button" className="btn btn-small" onClick={() => void more()} disabled={loadingMore} data-testid="member-more">
                  {loadingMore ? t('loading') : t('showMore')}
                </button>
              )}
            </div>
          )}
        </section>
        <section className="card detail-card" aria-label={t('navMembers')}>
          {userId === null ? <Empty>{hasResults ? t('pickMember') : t('searchHint')}</Empty> : <Loaded load={member} onRetry={() => void open(userId)}>{(data) => <MemberDetail data={data} />}</Loaded>}
        </section>
      </div>
    </div>
  );
}

function MemberDetail({ data }: { data: MemberPasses }) {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const packages = useMembers((s) => s.packages);
  const packageList = packages.state === 'ready' ? packages.data : [];
  const countOf = (seq: number) => packageList.find((p) => p.packageSeq === seq)?.count ?? null;
  const [registering, setRegistering] = useState(false);
  const passLabel = new Map(data.passes.map((p) => [p.passSeq, p.packageName]));
  return (
    <div data-testid="member-detail" data-user={data.member.userId}>
      <div className="member-head">
        <div>
          <h2 tabIndex={-1}>{data.member.userName}</h2>
          <div className="muted">
            <span className="mono">{data.member.userId}</span> · {formatPhone(data.member.phone)} · {data.member.status === 'ACTIVE' ? t('memberActive') : t('memberInactive')}
          </div>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setRegistering(true)} data-shortcut="n" aria-keyshortcuts="n" data-testid="register-open">
          {t('registerPass')}
        </button>
      </div>
      <h3>{t('pass')}</h3>
      {data.passes.length === 0 ? (
        <Empty>{t('noPasses')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t('package')}</th>
                <th>{t('status')}</th>
                <th className="num">{t('remaining')}</th>
                <th>{t('period')}</th>
                <th style={{ width: 110 }}>{t('usedSoFar')}</th>
              </tr>
            </thead>
            <tbody>
              {data.passes.map((p) => (
                <tr key={p.passSeq} data-testid="pass-row" data-pass={p.passSeq} data-package={p.packageSeq}>
                  <td>
                    {p.packageName}
                    {p.bulkPassSeq !== null && <span className="pill pill-soft">{t('bulkGrant')}</span>}
                  </td>
                  <td>
                    <PassBadge status={p.status} />
                  </td>
                  <td className="num">{p.remainingCount === null ? t('unlimited') : t('countUnit', { n: formatNumber(p.remainingCount, lang) })}</td>
                  <td>
                    <span className="nowrap">{formatDate(p.startedAt, lang, zone)} –</span>{' '}
                    <span className="nowrap">{p.endedAt ? formatDate(p.endedAt, lang, zone) : t('noEnd')}</span>
                  </td>
                  <td>
                    <ProgressBar fraction={passProgress(p, countOf(p.packageSeq))} tone={p.status === 'EXPIRED' ? 'mute' : 'ok'} label={p.packageName} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('bookings')}</h3>
      {data.bookings.length === 0 ? (
        <Empty>{t('noBookings')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t('started')}</th>
                <th>{t('pass')}</th>
                <th>{t('status')}</th>
                <th>{t('attended')}</th>
                <th>{t('usedPass')}</th>
              </tr>
            </thead>
            <tbody>
              {data.bookings.map((b) => (
                <tr key={b.bookingSeq}>
                  <td>{formatDateTime(b.startedAt, lang, zone)}</td>
                  <td>{passLabel.get(b.passSeq) ?? `#${b.passSeq}`}</td>
                  <td>{b.status === 'CANCELLED' ? t('cancelled') : b.status === 'COMPLETED' ? t('bookingCompleted') : b.status === 'PROGRESSED' ? t('bookingProgressed') : t('bookingReady')}</td>
                  <td>{b.attended ? '✓' : '–'}</td>
                  <td>{b.usedPass ? '✓' : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {registering && <RegisterPass memberName={data.member.userName} packages={packageList} onClose={() => setRegistering(false)} />}
    </div>
  );
}

function RegisterPass({ memberName, packages, onClose }: { memberName: string; packages: PackageView[]; onClose: () => void }) {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const register = useMembers((s) => s.register);
  const [packageSeq, setPackageSeq] = useState('');
  const [bonus, setBonus] = useState('');
  const [startedAt, setStartedAt] = useState(() => DateTime.now().setZone(zone).toFormat('yyyy-MM-dd'));
  const pkg = packages.find((p) => String(p.packageSeq) === packageSeq);
  const label = (p: PackageView) => `${p.packageName}${p.count !== null ? ` · ${t('countUnit', { n: p.count })}` : ''}${p.period !== null ? ` · ${t('daysUnit', { n: p.period })}` : ''}`;

  // Closed (cancelled, Escape or registered): back to the button that opened it.
  const close = () => {
    onClose();
    focusSoon('[data-testid=register-open]');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!pkg || !startedAt) return;
    const ok = await confirmAction({
      title: t('registerPass'),
      body: t('registerConfirm', { member: memberName, package: pkg.packageName, date: formatDate(`${startedAt}T00:00:00Z`, lang, 'UTC') }),
      confirmLabel: t('register'),
    });
    if (!ok) return;
    const outcome = await register({ packageSeq: pkg.packageSeq, startedAt, ...(bonus ? { bonusPackageSeq: Number(bonus) } : {}) });
    if (outcome.ok) {
      toast('success', both('registered'));
      close();
    } else toast('error', outcome.error);
  };

  return (
    <form
      className="card inset form"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          close();
        }
      }}
      data-testid="register-form"
    >
      <h3>{t('registerPass')}</h3>
      <div className="form-grid">
        <Field label={t('package')}>
          <select value={packageSeq} onChange={(e) => setPackageSeq(e.target.value)} required autoFocus data-testid="register-package">
            <option value="">–</option>
            {packages.map((p) => (
              <option key={p.packageSeq} value={p.packageSeq}>
                {label(p)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('startsAt')}>
          <input type="date" value={startedAt} onChange={(e) => setStartedAt(e.target.value)} required />
        </Field>
        <Field label={`${t('bonusPackage')} (${t('optional')})`}>
          <select value={bonus} onChange={(e) => setBonus(e.target.value)}>
            <option value="">{t('none')}</option>
            {packages.map((p) => (
              <option key={p.packageSeq} value={p.packageSeq}>
                {label(p)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <FormActions onCancel={close} submitLabel={t('register')} disabled={!pkg} testId="register-submit" />
    </form>
  );
}
