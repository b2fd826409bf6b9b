// The small pieces every screen uses: status badges, progress bars, the loading / empty / error
// states, and a confirmation dialog any action can await.
import { useEffect, useRef, type ReactNode } from 'react';
import { create } from 'zustand';
import type { BatchStatus, BulkPassStatus, PassStatus } from '../../../main/service/contract.ts';
import { useT } from '../i18n/i18n.ts';
import { BATCH_STATUS, GRANT_STATUS, PASS_STATUS, type Words } from '../i18n/words.ts';
import { useUi } from '../stores/ui.ts';

const BATCH_TONE: Record<BatchStatus, string> = {
  COMPLETED: 'ok',
  STARTING: 'run',
  STARTED: 'run',
  STOPPING: 'warn',
  STOPPED: 'warn',
  FAILED: 'bad',
  ABANDONED: 'mute',
  UNKNOWN: 'mute',
};

export function StatusBadge({ status }: { status: BatchStatus }) {
  const { pick } = useT();
  return (
    <span className={`badge badge-${BATCH_TONE[status]}`} data-status={status}>
      {pick(BATCH_STATUS[status])}
    </span>
  );
}

const PASS_TONE: Record<PassStatus, string> = { READY: 'info', PROGRESSED: 'ok', EXPIRED: 'mute' };
export function PassBadge({ status }: { status: PassStatus }) {
  const { pick } = useT();
  return (
    <span className={`badge badge-${PASS_TONE[status]}`} data-status={status}>
      {pick(PASS_STATUS[status])}
    </span>
  );
}

const GRANT_TONE: Record<BulkPassStatus, string> = { READY: 'info', COMPLETED: 'ok', CANCELLED: 'mute' };
export function GrantBadge({ status }: { status: BulkPassStatus }) {
  const { pick } = useT();
  return (
    <span className={`badge badge-${GRANT_TONE[status]}`} data-status={status}>
      {pick(GRANT_STATUS[status])}
    </span>
  );
}

export function ProgressBar({ fraction, label, tone = 'run' }: { fraction: number | null; label?: string; tone?: string }) {
  const pct = fraction === null ? null : Math.round(fraction * 1000) / 10;
  return (
    <div
      className={`progress progress-${tone}${pct === null ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      <div className="progress-fill" style={{ width: pct === null ? '30%' : `${pct}%` }} />
    </div>
  );
}

export function Loading() {
  const { t } = useT();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {t('loading')}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

export function ErrorState({ error, onRetry }: { error: Words; onRetry?: () => void }) {
  const { t, pick } = useT();
  return (
    <div className="state state-error" role="alert">
      <strong>{t('errorTitle')}</strong>
      <span>{pick(error)}</span>
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** Loading / error / ready for a Load<T>, keeping the old data visible while it refreshes. */
export function Loaded<T>({ load, onRetry, children }: { load: import('../stores/errors.ts').Load<T>; onRetry?: () => void; children: (data: T) => ReactNode }) {
  if (load.state === 'error' && load.data === undefined) return <ErrorState error={load.error} onRetry={onRetry} />;
  if ((load.state === 'loading' || load.state === 'idle') && (!('data' in load) || load.data === undefined)) return <Loading />;
  const data = (load as { data: T }).data;
  return (
    <>
      {load.state === 'error' && <ErrorState error={load.error} onRetry={onRetry} />}
      {children(data)}
    </>
  );
}

// ---- confirmation --------------------------------------------------------------------------

interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  resolve(ok: boolean): void;
}

const useConfirmStore = create<{ request: ConfirmRequest | null }>(() => ({ request: null }));

/** Opens the confirmation dialog; resolves true when confirmed. */
export function confirmAction(request: Omit<ConfirmRequest, 'resolve'>): Promise<boolean> {
  return new Promise((resolve) => {
    useConfirmStore.setState({ request: { ...request, resolve } });
  });
}

export function ConfirmHost() {
  const request = useConfirmStore((s) => s.request);
  const { t } = useT();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirmRef.current?.focus();
  }, [request]);
  if (!request) return null;
  const finish = (ok: boolean) => {
    useConfirmStore.setState({ request: null });
    request.resolve(ok);
  };
  return (
    <Modal title={request.title} onClose={() => finish(false)} testId="confirm-dialog">
      <div className="modal-body">{request.body}</div>
      <div className="modal-actions">
        <button type="button" className="btn" onClick={() => finish(false)}>
          {t('cancel')}
        </button>
        <button ref={confirmRef} type="button" className={`btn ${request.danger ? 'btn-danger' : 'btn-primary'}`} onClick={() => finish(true)} data-testid="confirm-ok">
          {request.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}

export function Modal({ title, onClose, children, testId, wide }: { title: string; onClose: () => void; children: ReactNode; testId?: string; wide?: boolean }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal${wide ? ' modal-wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h2 className="modal-title">{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** A form dialog's buttons: cancel, and the submit that carries the form's action. */
export function FormActions({ onCancel, submitLabel, disabled, testId }: { onCancel: () => void; submitLabel: string; disabled?: boolean; testId?: string }) {
  const { t } = useT();
  return (
    <div className="modal-actions">
      <button type="button" className="btn" onClick={onCancel}>
        {t('cancel')}
      </button>
      <button type="submit" className="btn btn-primary" disabled={disabled} data-testid={testId}>
        {submitLabel}
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const dismiss = useUi((s) => s.dismiss);
  const { pick, t } = useT();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
          <span>{pick(toast.text)}</span>
          <button type="button" className="toast-close" onClick={() => dismiss(toast.id)} aria-label={t('close')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function Field({ label, hint, children, error }: { label: string; hint?: string; children: ReactNode; error?: string | null }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <div className="page-actions">{children}</div>
    </header>
  );
}
