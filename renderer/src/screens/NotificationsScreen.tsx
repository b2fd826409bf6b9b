// 알림 (manager): the outbox the notification jobs write and send. Filter by member, dates and
// status; newest first, 50 at a time ("more" adds older ones, by key); a failed one can be sent
// again, after a confirmation, with its own text and idempotency key (said to staff as its reference).
import { useEffect, type FormEvent } from 'react';
import type { NotificationStatus, NotificationView } from '../../../main/service/contract.ts';
import { confirmAction, Empty, Field, Loaded, PageHeader } from '../components/common.tsx';
import { DateInput } from '../components/DateInput.tsx';
import { both, useT } from '../i18n/i18n.ts';
import type { WordKey } from '../i18n/words.ts';
import { formatDateTime, formatNumber } from '../lib/format.ts';
import { useNotifications } from '../stores/notifications.ts';
import { useUi } from '../stores/ui.ts';

const STATUS: Record<NotificationStatus, { word: WordKey; badge: string }> = {
  SENT: { word: 'notificationSent', badge: 'badge-ok' },
  PENDING: { word: 'notificationPending', badge: 'badge-info' },
  FAILED: { word: 'notificationFailed', badge: 'badge-bad' },
};

const EVENT: Record<string, WordKey> = { BEFORE_CLASS: 'eventBeforeClass', EXPIRY_REMINDER: 'eventExpiryReminder', WAITLIST_BOOKED: 'eventWaitlistBooked', CLASS_CANCELLED: 'eventClassCancelled', CLASS_MOVED: 'eventClassMoved', WAITLIST_REMOVED: 'eventWaitlistRemoved', MEMBER_DEACTIVATED: 'eventMemberDeactivated', PASS_CANCELLED: 'eventPassCancelled' };

export function NotificationsScreen() {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const { filter, filterProblem, setFilter, list, reload, more, loadingMore, resend } = useNotifications();
  // a day that is not one (2026-02-30, 12/07/2026) or a last day before the first: said, nothing asked
  const rangeProblem = filterProblem ? t(filterProblem === 'reversed' ? 'rangeReversed' : 'rangeBadDate') : null;

  useEffect(() => {
    void reload();
  }, [reload]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void reload();
  };

  const resendOne = async (n: NotificationView) => {
    const ok = await confirmAction({
      title: t('resend'),
      body: t('resendConfirm', { id: n.notificationSeq, member: n.userName ?? n.userId, key: n.idempotencyKey }),
      confirmLabel: t('resend'),
    });
    if (!ok) return;
    const outcome = await resend(n.notificationSeq);
    if (!outcome.ok) toast('error', outcome.error);
    else if (outcome.result.sent) toast('success', both('resent', { id: n.notificationSeq }));
    else toast('error', outcome.result.error ?? both('notificationFailed'));
  };

  return (
    <div className="page">
      <PageHeader title={t('navNotifications')} />
      <form className="filters" role="search" onSubmit={submit} data-testid="notification-filters">
        <Field label={t('memberId')}>
          <input value={filter.userId} onChange={(e) => setFilter({ userId: e.target.value })} maxLength={20} placeholder="M1000001" data-testid="notification-member" />
        </Field>
        <Field label={t('status')}>
          <select value={filter.status} onChange={(e) => setFilter({ status: e.target.value as NotificationStatus | '' })} data-testid="notification-status">
            <option value="">{t('allStatuses')}</option>
            {(Object.keys(STATUS) as NotificationStatus[]).map((s) => (
              <option key={s} value={s}>
                {t(STATUS[s].word)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('dateFrom')}>
          <DateInput value={filter.from} max={filter.to || undefined} onChange={(from) => setFilter({ from })} asTyped invalid={filterProblem !== null} testId="notification-from" />
        </Field>
        <Field label={t('dateTo')} error={rangeProblem}>
          <DateInput value={filter.to} min={filter.from || undefined} onChange={(to) => setFilter({ to })} asTyped invalid={filterProblem !== null} testId="notification-to" />
        </Field>
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" data-testid="notification-search">
            {t('search')}
          </button>
        </div>
      </form>
      <section className="card">
        {rangeProblem ? (
          <Empty>{rangeProblem}</Empty>
        ) : (
          <Loaded load={list} onRetry={() => void reload()}>
            {(data) =>
              data.items.length === 0 ? (
                <Empty>{t('noNotifications')}</Empty>
              ) : (
                <>
                  <div className="table-wrap">
                    <table className="table">
                      <thead>
                        <tr>
                          <th>{t('createdAt')}</th>
                          <th>{t('member')}</th>
                          <th>{t('notificationText')}</th>
                          <th className="notification-status">{t('status')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {data.items.map((n) => (
                          <tr key={n.notificationSeq} data-testid="notification-row" data-notification={n.notificationSeq} data-status={n.status}>
                            <td className="nowrap">{formatDateTime(n.createdAt, lang, zone)}</td>
                            <td>
                              {n.userName ?? '–'} <span className="muted mono">{n.userId}</span>
                            </td>
                            <td className="small notification-text">
                              <div className="muted" data-testid="notification-kind">
                                {EVENT[n.event] ? t(EVENT[n.event]!) : n.event}
                              </div>
                              {n.text}
                            </td>
                            <td className="notification-status">
                              <span className={`badge ${STATUS[n.status].badge}`}>{t(STATUS[n.status].word)}</span>
                              {n.sentAt && <div className="muted small nowrap">{formatDateTime(n.sentAt, lang, zone)}</div>}
                              {(n.attempts > 1 || n.status === 'FAILED') && (
                                <div className="muted small" data-testid="notification-attempts">
                                  {t('notificationAttempts', { n: formatNumber(n.attempts, lang) })}
                                </div>
                              )}
                              {n.lastError && (
                                <div className="small notification-error">
                                  <span className="muted">{t('lastError')}: </span>
                                  <span data-testid="notification-error">{n.lastError}</span>
                                </div>
                              )}
                              {n.status === 'FAILED' && (
                                <button type="button" className="btn btn-small" onClick={() => void resendOne(n)} data-testid="notification-resend">
                                  {t('resend')}
                                </button>
                              )}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                  <div className="pager">
                    <span className="muted" data-testid="notification-count">
                      {t('notificationsShown', { n: formatNumber(data.items.length, lang) })}
                    </span>
                    {data.next && (
                      <button type="button" className="btn btn-small" onClick={() => void more()} disabled={loadingMore} data-testid="notification-more">
                        {loadingMore ? t('loading') : t('showMore')}
                      </button>
                    )}
                  </div>
                </>
              )
            }
          </Loaded>
        )}
      </section>
      <p className="muted small" data-testid="notification-resend-note">
        {t('resendNote')}
      </p>
    </div>
  );
}
