// 8a. 작업 기록: who did what, when; newest first, a page at a time.
import { useEffect, type FormEvent } from 'react';
import { Empty, Loaded, PageHeader } from '../components/common.tsx';
import { useT } from '../i18n/i18n.ts';
import { ACTION_NAME } from '../i18n/words.ts';
import { formatDateTimeSeconds, formatNumber } from '../lib/format.ts';
import { AUDIT_PAGE_SIZE, detailLines, useAudit } from '../stores/admin.ts';
import { useUi } from '../stores/ui.ts';

export function AuditScreen() {
  const { t, pick, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const { entries, page, go, actor, setActor } = useAudit();

  useEffect(() => {
    void go(1);
  }, [go]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void go(1);
  };

  return (
    <div className="page">
      <PageHeader title={t('navAudit')} />
      <form className="search-bar" role="search" onSubmit={submit}>
        <input type="search" value={actor} onChange={(e) => setActor(e.target.value)} placeholder={t('actor')} aria-label={t('actor')} />
        <button type="submit" className="btn">
          {t('search')}
        </button>
      </form>
      <section className="card">
        <Loaded load={entries} onRetry={() => void go(page)}>
          {(data) => {
            const pages = Math.max(1, Math.ceil(data.total / AUDIT_PAGE_SIZE));
            return data.items.length === 0 ? (
              <Empty>{t('noAudit')}</Empty>
            ) : (
              <>
                <table className="table">
                  <thead>
                    <tr>
                      <th>{t('at')}</th>
                      <th>{t('actor')}</th>
                      <th>{t('action')}</th>
                      <th>{t('target')}</th>
                      <th>{t('detail')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((a) => (
                      <tr key={a.auditSeq} data-testid="audit-row">
                        <td className="nowrap">{formatDateTimeSeconds(a.at, lang, zone)}</td>
                        <td>{a.actor}</td>
                        <td className="nowrap">{pick(ACTION_NAME[a.action], a.action)}</td>
                        <td className="mono small">{a.target ?? '–'}</td>
                        <td className="small audit-detail">
                          {detailLines(a.detail).map((line, i) => (
                            <div key={i} className="ellipsis" title={line}>
                              {line}
                            </div>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <div className="pager">
                  <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => void go(page - 1)}>
                    {t('previous')}
                  </button>
                  <span className="muted">{t('pageOf', { p: formatNumber(page, lang), n: formatNumber(pages, lang) })}</span>
                  <button type="button" className="btn btn-small" disabled={page >= pages} onClick={() => void go(page + 1)}>
                    {t('next')}
                  </button>
                </div>
              </>
            );
          }}
        </Loaded>
      </section>
    </div>
  );
}
