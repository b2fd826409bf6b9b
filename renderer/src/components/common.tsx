// The small pieces every screen uses: status badges, progress bars, the loading / empty / error
// states, the one modal Dialog every dialog uses, and a confirmation any action can await.
import { isValidElement, useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { create } from 'zustand';
import type { BatchStatus, BulkPassStatus, PassStatus } from '../../../main/service/contract.ts';
import { useT } from '../i18n/i18n.ts';
import { BATCH_STATUS, GRANT_STATUS, PASS_STATUS, type Words } from '../i18n/words.ts';
import { focusPending, focusSoon, tabbables } from '../lib/focus.ts';
import { retryable, type Load } from '../stores/errors.ts';
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

const PASS_TONE: Record<PassStatus, string> = { READY: 'info', PROGRESSED: 'ok', EXPIRED: 'mute', CANCELLED: 'mute' };
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

/** A header cell: its words, or its words with a class (e.g. 'num', figures right-aligned) or a width in pixels. */
export type Column = ReactNode | { label: ReactNode; className?: string; width?: number };

const isColumnSpec = (c: Column): c is { label: ReactNode; className?: string; width?: number } =>
  typeof c === 'object' && c !== null && !isValidElement(c) && 'label' in c;

/** A table with one header row (`columns`); its rows are the children. */
export function Table({ columns, children }: { columns: Column[]; children: ReactNode }) {
  return (
    <table className="table">
      <thead>
        <tr>
          {columns.map((c, i) =>
            isColumnSpec(c) ? (
              <th key={i} className={c.className} style={c.width ? { width: c.width } : undefined}>
                {c.label}
              </th>
            ) : (
              <th key={i}>{c}</th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
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

/** An error in place of what a screen loads; "try again" only when trying again can fix it (`retryable`, by the error's code). */
export function ErrorState({ error, code, onRetry }: { error: Words; code?: string | null; onRetry?: () => void }) {
  const { t, pick } = useT();
  return (
    <div className="state state-error" role="alert" data-code={code ?? undefined}>
      <strong>{t('errorTitle')}</strong>
      <span>{pick(error)}</span>
      {onRetry && retryable(code) && (
        <button type="button" className="btn" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/**
 * Loading / error / ready for a Load<T>, keeping the old data visible while it refreshes. When the
 * refresh fails, the old data stays below the error marked as the earlier result (dimmed, with a
 * line saying so), never as if it answered what was asked.
 */
export function Loaded<T>({ load, onRetry, children }: { load: Load<T>; onRetry?: () => void; children: (data: T) => ReactNode }) {
  const { t } = useT();
  if (load.state === 'error' && load.data === undefined) return <ErrorState error={load.error} code={load.code} onRetry={onRetry} />;
  if ((load.state === 'loading' || load.state === 'idle') && (!('data' in load) || load.data === undefined)) return <Loading />;
  const data = (load as { data: T }).data;
  if (load.state !== 'error') return <>{children(data)}</>;
  return (
    <>
      <ErrorState error={load.error} code={load.code} onRetry={onRetry} />
      <div className="stale" data-testid="stale-result">
        <p className="stale-note">{t('staleResult')}</p>
        <div className="stale-body">{children(data)}</div>
      </div>
    </>
  );
}

// ---- dialogs -------------------------------------------------------------------------------

interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** destructive (stop, abandon, disable…): red, and Cancel has the focus so Enter cancels */
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
  const bodyId = useId();
  if (!request) return null;
  // "예약을 취소할까요? [취소] [예약 취소]" reads as two ways to cancel: when the action itself
  // cancels something, the way out is "돌아가기" / "Go back".
  const dismiss = request.confirmLabel.toLowerCase().includes(t('cancel').toLowerCase()) ? t('goBack') : t('cancel');
  const finish = (ok: boolean) => {
    if (useConfirmStore.getState().request !== request) return;
    useConfirmStore.setState({ request: null });
    request.resolve(ok);
  };
  return (
    <Dialog title={request.title} onClose={() => finish(false)} testId="confirm-dialog" describedBy={bodyId} role={request.danger ? 'alertdialog' : 'dialog'}>
      <div className="modal-body" id={bodyId}>
        {request.body}
      </div>
      <div className="modal-actions">
        <button type="button" className="btn" onClick={() => finish(false)} data-autofocus={request.danger ? '' : undefined} data-testid="confirm-cancel">
          {dismiss}
        </button>
        <button type="button" className={`btn ${request.danger ? 'btn-danger' : 'btn-primary'}`} onClick={() => finish(true)} data-autofocus={request.danger ? undefined : ''} data-testid="confirm-ok">
          {request.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * The modal dialogs open now, the topmost last. Everything outside the topmost is inert, and so
 * hidden from screen readers: the toasts are shown inside it (Toasts) so they are still announced.
 */
const useOpenDialogs = create<{ stack: HTMLDialogElement[] }>(() => ({ stack: [] }));

function openModal(dialog: HTMLDialogElement): void {
  if (dialog.open) return;
  // happy-dom (the unit tests) and old engines may lack showModal: then it is only shown.
  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
}

function closeModal(dialog: HTMLDialogElement): void {
  if (typeof dialog.close === 'function') dialog.close();
  else dialog.removeAttribute('open');
}

/** What takes the focus when a dialog opens: a [data-autofocus] element, else its first field, else its first control. */
function initialFocus(dialog: HTMLElement): HTMLElement | null {
  const marked = dialog.querySelector<HTMLElement>('[data-autofocus]');
  if (marked) return marked;
  const all = tabbables(dialog);
  return all.find((el) => el.matches('input, select, textarea')) ?? all.find((el) => !el.classList.contains('close')) ?? null;
}

/**
 * A modal dialog (<dialog> opened with showModal): the page behind is inert, focus moves to the
 * first field (or the [data-autofocus] element), Tab and Shift+Tab stay inside, Escape or a click
 * on the backdrop closes only the topmost dialog, and focus goes back to the element that opened
 * it (unless the action that closed it sent focus elsewhere with focusSoon).
 */
export function Dialog({
  title,
  onClose,
  children,
  testId,
  wide,
  describedBy,
  role = 'dialog',
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
  describedBy?: string;
  role?: 'dialog' | 'alertdialog';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useLayoutEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    let closing = false;
    const requestClose = () => {
      if (closing) return;
      closing = true;
      onCloseRef.current();
    };
    const onCancel = (e: Event) => {
      // Escape reaches the topmost dialog only; the component that owns it decides.
      e.preventDefault();
      requestClose();
    };
    // The browser may close it itself (a second Escape with no click between): follow.
    const onNativeClose = () => {
      if (!dialog.open) requestClose();
    };
    const onKey = (e: KeyboardEvent) => {
      // Escape closes this dialog only (a dialog inside it took it first), in every engine.
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        requestClose();
        return;
      }
      if (e.key !== 'Tab') return;
      const all = tabbables(dialog);
      if (all.length === 0) return;
      const first = all[0]!;
      const last = all[all.length - 1]!;
      if (e.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
        e.preventDefault();
        first.focus();
      }
    };
    const onDown = (e: MouseEvent) => {
      if (e.target === dialog) requestClose();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onNativeClose);
    dialog.addEventListener('keydown', onKey);
    dialog.addEventListener('mousedown', onDown);
    openModal(dialog);
    useOpenDialogs.setState((s) => ({ stack: [...s.stack, dialog] }));
    (initialFocus(dialog) ?? dialog).focus();
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onNativeClose);
      dialog.removeEventListener('keydown', onKey);
      dialog.removeEventListener('mousedown', onDown);
      useOpenDialogs.setState((s) => ({ stack: s.stack.filter((d) => d !== dialog) }));
      closeModal(dialog);
      if (focusPending()) return;
      if (opener?.isConnected && !opener.matches(':disabled')) opener.focus();
      // The opener is gone or disabled: the screen's heading, never <body>.
      if (document.activeElement === document.body || document.activeElement === null) focusSoon('main h1');
    };
  }, []);

  return (
    <dialog ref={ref} className={`modal${wide ? ' modal-wide' : ''}`} role={role === 'alertdialog' ? 'alertdialog' : undefined} aria-labelledby={titleId} aria-describedby={describedBy} aria-modal="true" data-testid={testId}>
      <div className="modal-inner">
        <h2 className="modal-title" id={titleId}>
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  );
}

/** The former name of Dialog. */
export const Modal = Dialog;

/**
 * While a submit is disabled, `why` (what is still missing) said beside it: `note` to show next to
 * the button, and `describedBy` for its aria-describedby, so the desk is never left with a button
 * that does nothing unsaid. The note's testid is the button's with `-why`.
 */
export function useDisabledWhy(disabled: boolean | undefined, why: string | null | undefined, testId?: string): { note: ReactNode; describedBy: string | undefined } {
  const id = useId();
  const saying = disabled && why ? why : null;
  return {
    note: saying ? (
      <span className="form-actions-why" id={id} data-testid={testId ? `${testId}-why` : undefined}>
        {saying}
      </span>
    ) : null,
    describedBy: saying ? id : undefined,
  };
}

/** A form dialog's Cancel and submit; while the submit is disabled, `why` is said beside it (useDisabledWhy). */
export function FormActions({ onCancel, submitLabel, disabled, testId, why }: { onCancel: () => void; submitLabel: string; disabled?: boolean; testId?: string; why?: string | null }) {
  const { t } = useT();
  const { note, describedBy } = useDisabledWhy(disabled, why, testId);
  return (
    <div className="modal-actions">
      {note}
      <button type="button" className="btn" onClick={onCancel}>
        {t('cancel')}
      </button>
      <button type="submit" className="btn btn-primary" disabled={disabled} aria-describedby={describedBy} data-testid={testId}>
        {submitLabel}
      </button>
    </div>
  );
}

/**
 * The outcome messages, bottom right. While a modal dialog is open they are drawn inside the
 * topmost one: the page behind it is inert, and a live region there is never read out.
 */
export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const dismiss = useUi((s) => s.dismiss);
  const top = useOpenDialogs((s) => s.stack.at(-1));
  const { pick, t } = useT();
  const region = (
    <div className="toasts" aria-live="polite" data-testid="toasts">
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
  return top?.isConnected ? createPortal(region, top) : region;
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
      {/* focused on arriving at the screen (App), so a screen reader says where you are */}
      <h1 tabIndex={-1}>{title}</h1>
      <div className="page-actions">{children}</div>
    </header>
  );
}
