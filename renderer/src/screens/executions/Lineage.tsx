// An execution's place among its instance's restarts, in the execution's detail.
import type { ExecutionDetail } from '../../../../main/service/contract.ts';
import { StatusBadge } from '../../components/common.tsx';
import { useT } from '../../i18n/i18n.ts';
import { BATCH_STATUS } from '../../i18n/words.ts';

/**
 * An execution's place among its instance's restarts: "#18 실패 → #19 완료", with the one before
 * ("#18의 재시작") and the one after ("#19로 재시작됨") one click away. Shown only when there was a restart.
 */
export function Lineage({ detail, onOpen }: { detail: ExecutionDetail; onOpen: (id: number) => void }) {
  const { t, pick } = useT();
  const lineage = detail.lineage;
  if (!lineage || (!lineage.restartOf && !lineage.restartedAs)) return null;
  const last = lineage.executions[lineage.executions.length - 1];
  return (
    <section className="lineage" data-testid="lineage" aria-label={t('lineage')} style={{ margin: '12px 0' }}>
      <div className="field-label">{t('lineage')}</div>
      <ol className="lineage-chain" data-testid="lineage-chain" style={{ listStyle: 'none', display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6, padding: 0, margin: '4px 0 8px' }}>
        {lineage.executions.map((e, i) => (
          <li key={e.id} data-id={e.id} data-status={e.status} aria-current={e.id === detail.id ? 'step' : undefined}>
            {i > 0 && <span aria-hidden="true"> → </span>}
            {e.id === detail.id ? (
              <strong className="mono">#{e.id}</strong>
            ) : (
              <button type="button" className="btn btn-ghost btn-small mono" onClick={() => onOpen(e.id)}>
                #{e.id}
              </button>
            )}{' '}
            <StatusBadge status={e.status} />
          </li>
        ))}
      </ol>
      <div className="lineage-links" style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        {lineage.restartOf && (
          <button type="button" className="btn btn-small" data-testid="lineage-restart-of" data-id={lineage.restartOf.id} onClick={() => onOpen(lineage.restartOf!.id)}>
            {t('restartOf', { id: lineage.restartOf.id })}
          </button>
        )}
        {lineage.restartedAs && (
          <button type="button" className="btn btn-small" data-testid="lineage-restarted-as" data-id={lineage.restartedAs.id} onClick={() => onOpen(lineage.restartedAs!.id)}>
            {t('restartedAs', { id: lineage.restartedAs.id })} · {pick(BATCH_STATUS[lineage.restartedAs.status])}
          </button>
        )}
      </div>
      {!lineage.latest && last && ['FAILED', 'STOPPED'].includes(detail.status) && (
        <p className="muted small" data-testid="lineage-not-latest">
          {t('notLatest', { id: lineage.restartedAs?.id ?? last.id })}
        </p>
      )}
    </section>
  );
}
