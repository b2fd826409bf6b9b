// 5. 이용권 일괄 지급: a new grant with its preview sentence, the grants with their status,
// cancel a scheduled one, and grant now with live progress.
import { DateTime } from 'luxon';
import { useEffect, useState, type FormEvent } from 'react';
import type { BulkGrantView, BulkPassStatus } from '../../../main/service/contract.ts';
import { confirmAction, Empty, Field, GrantBadge, Loaded, PageHeader, ProgressBar } from '../components/common.tsx';
import { DateTime24Input } from '../components/DateTime24Input.tsx';
import { both, useT } from '../i18n/i18n.ts';
import { GRANT_STATUS, type Words } from '../i18n/words.ts';
import { formatDateTime, formatNumber, progressOf } from '../lib/format.ts';
import { grantPreview } from '../lib/preview.ts';
import { focusSoon } from '../lib/focus.ts';
import { localDateTime } from '../lib/time24.ts';
import { grantInput, useBulkGrants } from '../stores/bulkGrants.ts';
import { useUi } from '../stores/ui.ts';

export function BulkGrantsScreen() {
  const { t, pick } = useT();
  const { grants, loadAll, reload, statusFilter, setStatusFilter } = useBulkGrants();
  useEffect(() => {
    void loadAll();
  }, [loadAll]);
  return (
    <div className="page">
      <PageHeader title={t('navBulkGrants')}>
        <button type="button" className="btn" onClick={() => void reload()} data-shortcut="r" aria-keyshortcuts="r">
          {t('refresh')}
        </button>
      </PageHeader>
      <NewGrant />
      <section className="card">
        <div className="card-head">
          <h2>{t('bulkGrant')}</h2>
          <select value={statusFilter} onChange={(e) => void setStatusFilter(e.target.value as BulkPassStatus | '')} aria-label={t('status')} data-testid="grant-filter">
            <option value="">{t('allStatuses')}</option>
            {(['READY', 'COMPLETED', 'CANCELLED'] as const).map((s) => (
              <option key={s} value={s}>
                {pick(GRANT_STATUS[s])}
              </option>
            ))}
          </select>
        </div>
        <Loaded load={grants} onRetry={() => void reload()}>
          {(list) => (list.length === 0 ? <Empty>{t('noGrants')}</Empty> : <GrantTable grants={list} />)}
        </Loaded>
      </section>
    </div>
  );
}

function NewGrant() {
  const { t, lang, pick } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const { packages, groups, form, setForm: setStoreForm, create, statusFilter } = useBulkGrants();
  // the last refusal about one field (a start before today or more than a year ahead…), shown under it until that field changes
  const [problem, setProblem] = useState<{ field: string; error: Words } | null>(null);
  const setForm = (patch: Parameters<typeof setStoreForm>[0]) => {
    if (problem && problem.field in patch) setProblem(null);
    setStoreForm(patch);
  };
  const errorOf = (field: string) => (problem?.field === field ? pick(problem.error) : null);
  const packageList = packages.state === 'ready' ? packages.data : [];
  const groupList = groups.state === 'ready' ? groups.data : [];
  const pkg = packageList.find((p) => String(p.packageSeq) === form.packageSeq);
  const group = groupList.find((g) => g.userGroupId === form.userGroupId);
  // the times as they will be sent (9:30 is 09:30); a time that is not one yet has no preview
  const startedAt = localDateTime(form.startedAt);
  const endedAt = form.endedAt.trim() ? localDateTime(form.endedAt) : null;
  const preview = pkg && group && startedAt ? grantPreview({ startedAt, packageName: pkg.packageName, groupName: group.userGroupName, memberCount: group.activeMemberCount, count: form.count ? Number(form.count) : null, endedAt }, lang) : null;

  useEffect(() => {
    if (!form.startedAt) setStoreForm({ startedAt: DateTime.now().setZone(zone).plus({ days: 1 }).startOf('day').set({ hour: 9 }).toFormat("yyyy-MM-dd'T'HH:mm") });
  }, [form.startedAt, setStoreForm, zone]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const built = grantInput(form);
    if ('invalid' in built) {
      // a time that is not a 24-hour time (25:00, 6:30 PM): said under its field, nothing sent
      const label = built.invalid === 'startedAt' ? 'grantStart' : 'endOverride';
      setProblem({ field: built.invalid, error: both('dateTime24Problem') });
      toast('error', { ko: `${both(label).ko}: ${both('dateTime24Problem').ko}`, en: `${both(label).en}: ${both('dateTime24Problem').en}` });
      return;
    }
    if ('missing' in built || !preview) {
      toast('error', { ko: '필수 항목을 채우세요.', en: 'Fill in the required fields.' });
      return;
    }
    const ok = await confirmAction({ title: t('newBulkGrant'), body: <p className="preview-sentence">{preview}</p>, confirmLabel: t('register') });
    if (!ok) return;
    const outcome = await create();
    if (outcome.ok) {
      setProblem(null);
      toast('success', both('grantCreated'));
      // the form empties and its button turns off under the focus: the focus goes to the new
      // grant in the list (where it will show its progress), or back to the form's first field
      // when the list's filter hides it
      const listed = statusFilter === '' || statusFilter === 'READY';
      focusSoon(listed ? `[data-testid=grant-row][data-grant="${outcome.bulkPassSeq}"]` : '[data-testid=grant-package]');
    } else {
      setProblem(outcome.field ? { field: outcome.field, error: outcome.error } : null);
      toast('error', outcome.error);
    }
  };

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} aria-label={t('newBulkGrant')} data-testid="grant-form">
      <h2>{t('newBulkGrant')}</h2>
      <div className="form-grid form-grid-5">
        <Field label={t('package')}>
          <select value={form.packageSeq} onChange={(e) => setForm({ packageSeq: e.target.value })} required data-testid="grant-package">
            <option value="">–</option>
            {packageList
              .filter((p) => p.retiredAt === null)
              .map((p) => (
                <option key={p.packageSeq} value={p.packageSeq}>
                  {p.packageName}
                </option>
              ))}
          </select>
        </Field>
        <Field label={t('memberGroup')} hint={group ? t('membersInGroup', { n: formatNumber(group.activeMemberCount, lang) }) : undefined}>
          <select value={form.userGroupId} onChange={(e) => setForm({ userGroupId: e.target.value })} required data-testid="grant-group">
            <option value="">–</option>
            {groupList.map((g) => (
              <option key={g.userGroupId} value={g.userGroupId}>
                {g.userGroupName} ({t('membersInGroup', { n: formatNumber(g.activeMemberCount, lang) })})
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('grantStart')} error={errorOf('startedAt')}>
          <DateTime24Input value={form.startedAt} onChange={(v) => setForm({ startedAt: v })} invalid={errorOf('startedAt') !== null} name="startedAt" label={t('grantStart')} testId="grant-start" />
        </Field>
        <Field label={t('countOverride')} hint={pkg ? (pkg.count === null ? t('unlimited') : t('countUnit', { n: pkg.count })) : undefined}>
          <input type="number" min={1} max={10000} step={1} value={form.count} onChange={(e) => setForm({ count: e.target.value })} data-testid="grant-count" />
        </Field>
        <Field label={t('endOverride')} hint={pkg?.period ? t('daysUnit', { n: pkg.period }) : undefined} error={errorOf('endedAt')}>
          <DateTime24Input value={form.endedAt} onChange={(v) => setForm({ endedAt: v })} invalid={errorOf('endedAt') !== null} name="endedAt" label={t('endOverride')} testId="grant-end" />
        </Field>
      </div>
      <div className="preview-box" aria-live="polite">
        <span className="field-label">{t('preview')}</span>
        <p className="preview-sentence" data-testid="grant-preview">
          {preview ?? (pkg && group ? t('dateTime24Problem') : t('pickPackageGroup'))}
        </p>
      </div>
      <div className="form-actions">
        {/* a time that is not one yet leaves the button on, so pressing it says which field to fix */}
        <button type="submit" className="btn btn-primary" disabled={!pkg || !group} data-testid="grant-submit">
          {t('register')}
        </button>
      </div>
    </form>
  );
}

function GrantTable({ grants }: { grants: BulkGrantView[] }) {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const { progress, cancel, grantNow } = useBulkGrants();

  const doCancel = async (g: BulkGrantView) => {
    if (!(await confirmAction({ title: t('cancelGrant'), body: t('cancelGrantConfirm', { id: g.bulkPassSeq }), confirmLabel: t('cancelGrant'), danger: true }))) return;
    const outcome = await cancel(g.bulkPassSeq);
    if (outcome.ok) toast('success', both('grantCancelled'));
    else toast('error', outcome.error);
  };
  const doGrant = async (g: BulkGrantView) => {
    if (!(await confirmAction({ title: t('grantNow'), body: t('grantNowConfirm', { id: g.bulkPassSeq }), confirmLabel: t('grantNow') }))) return;
    const outcome = await grantNow(g.bulkPassSeq);
    if (!outcome.ok) toast('error', outcome.error);
  };

  return (
    <div className="table-wrap">
      <table className="table table-heads-wrap">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('package')}</th>
            <th>{t('memberGroup')}</th>
            <th>{t('grantStart')}</th>
            <th className="num">{t('usesPerPass')}</th>
            <th>{t('status')}</th>
            <th className="num">{t('passesCreated')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {grants.map((g) => {
            const p = progress[g.bulkPassSeq];
            const running = p && !p.finished;
            const { fraction } = p ? progressOf(p.written, p.expected, p.itemsPerSecond) : { fraction: null };
            return (
              <tr key={g.bulkPassSeq} tabIndex={-1} data-testid="grant-row" data-grant={g.bulkPassSeq} data-status={g.status}>
                <td className="mono">{g.bulkPassSeq}</td>
                <td>{g.packageName ?? `#${g.packageSeq}`}</td>
                <td>{g.userGroupName ?? g.userGroupId}</td>
                <td>{formatDateTime(g.startedAt, lang, zone)}</td>
                <td className="num" data-testid="grant-uses" data-uses={g.usesGranted ?? ''}>
                  {/* what each pass got: the grant's own count, else the package's */}
                  {g.usesGranted === null ? t('unlimited') : formatNumber(g.usesGranted, lang)}
                  {g.usesFromPackage && <span className="muted"> ({t('usesFromPackage')})</span>}
                </td>
                <td>
                  <GrantBadge status={g.status} />
                </td>
                <td className="num">{formatNumber(Math.max(g.passesCreated, p?.written ?? 0), lang)}</td>
                <td>
                  <div className="row-actions">
                  {running ? (
                    <div className="inline-progress" data-testid="grant-progress">
                      <span className="muted">{t('granting')}</span>
                      <ProgressBar fraction={fraction} label={t('granting')} />
                      <span className="mono">{formatNumber(p.written, lang)}</span>
                    </div>
                  ) : (
                    g.status === 'READY' && (
                      <>
                        <button type="button" className="btn btn-small btn-primary" onClick={() => void doGrant(g)} data-testid="grant-now">
                          {t('grantNow')}
                        </button>
                        <button type="button" className="btn btn-small btn-danger-outline" onClick={() => void doCancel(g)} data-testid="grant-cancel">
                          {t('cancelGrant')}
                        </button>
                      </>
                    )
                  )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
