// 8a. 작업 기록: who did what, when; newest first, a page at a time.
import { useEffect, type FormEvent } from 'react';
import { Empty, Loaded, PageHeader } from '../components/common.tsx';
import { fill, useT } from '../i18n/i18n.ts';
import { ACTION_NAME, DETAIL_KEY, PARAM_LABEL, ROLE_NAME, SETTING_PART, TARGET_NAME } from '../i18n/words.ts';
import { formatDateTimeSeconds, formatNumber, formatParameter } from '../lib/format.ts';
import { AUDIT_PAGE_SIZE, detailLines, useAudit } from '../stores/admin.ts';
import { useExecutions } from '../stores/executions.ts';
import { useUi } from '../stores/ui.ts';

export function AuditScreen() {
  const { t, pick, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const { entries, page, go, actor, setActor } = useAudit();
  const jobs = useExecutions((s) => s.jobs);
  const loadJobs = useExecutions((s) => s.loadJobs);

  useEffect(() => {
    void go(1);
  }, [go]);
  // the jobs' titles, to name a job in people's words rather than by its code name
  useEffect(() => {
    if (jobs.state === 'idle') void loadJobs();
  }, [jobs.state, loadJobs]);

  const jobTitle = (name: string) => pick(jobs.state === 'ready' ? jobs.data.find((j) => j.name === name)?.title : null, name);
  /** 'execution:3' as 작업 실행 #3 / Execution #3, 'job:expirePassesJob' by the job's title; a kind not known as it is. */
  const targetText = (target: string) => {
    const at = target.indexOf(':');
    const [kind, id] = at < 0 ? [target, ''] : [target.slice(0, at), target.slice(at + 1)];
    const words = TARGET_NAME[kind];
    return words ? fill(words[lang], { id: kind === 'job' || kind === 'schedule' ? jobTitle(id) : id }) : target;
  };
  // a detail's values as people read them: a job by its title, a role, a missed-run policy and a
  // payment method in words, times in the gym's zone, yes/no (formatParameter, as the executions show parameters)
  const detailWord = (key: string, value: unknown) => {
    if (typeof value === 'string' && key === 'job') return jobTitle(value);
    if (typeof value === 'string' && key === 'role' && value in ROLE_NAME) return pick(ROLE_NAME[value as keyof typeof ROLE_NAME]);
    if (key === 'misfirePolicy' && (value === 'RUN_ONCE' || value === 'SKIP')) return t(value === 'RUN_ONCE' ? 'misfireRunOnce' : 'misfireSkip');
    if (key === 'password' || key === 'idempotencyKey' || key === 'cron') return typeof value === 'string' ? value : undefined;
    if (/^(id|executionId|newExecutionId)$/.test(key) && typeof value === 'number') return `#${value}`;
    if (key === 'kind' && (value === 'webhook' || value === 'logFile')) return t(value === 'webhook' ? 'notifierWebhook' : 'notifierLogFile');
    // how a sale was paid: 카드 / Card, not CARD
    if (key === 'paymentMethod' && (value === 'CARD' || value === 'CASH' || value === 'TRANSFER')) return t(`payment${value}`);
    // a message recorded in both languages (a connection test's error), in the screen's
    if (value !== null && typeof value === 'object' && typeof (value as { ko?: unknown }).ko === 'string' && typeof (value as { en?: unknown }).en === 'string') return pick(value as { ko: string; en: string });
    // a part a setting did not have on one side of its change (a webhook's address before there was one)
    if (value === null || value === undefined) return '–';
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? formatParameter(value, lang, zone, key) : undefined;
  };
  /**
   * a detail's name in words: a setting's part by the Settings screen's word, else the glossary's,
   * a job parameter's (inside params, or a statistics window's from/to), else as recorded
   */
  const detailLabel = (key: string, parent?: string) => {
    const part = parent === undefined ? undefined : SETTING_PART[parent]?.[key];
    return part ? t(part) : pick(DETAIL_KEY[key] ?? PARAM_LABEL[key], key);
  };

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
                        <td className="small" title={a.target ?? undefined} data-testid="audit-target">
                          {a.target === null ? '–' : targetText(a.target)}
                        </td>
                        <td className="small audit-detail">
                          {detailLines(a.detail, detailWord, detailLabel).map((line, i) => (
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
