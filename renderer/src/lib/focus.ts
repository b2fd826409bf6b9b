// Where keyboard focus goes after something happens: a screen's heading after navigation, the new
// execution's heading after a launch or restart, the opener after a dialog closes. The target may
// not be on the page yet (a lazy screen, an execution still loading, a dialog still closing over
// it), so `focusSoon` waits for it to appear and be focusable, then focuses it once.

let pending: { selector: string; stop: () => void } | null = null;

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/** The elements Tab reaches inside `root`, in order (visible ones only where layout is known). */
export function tabbables(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[inert]') && (el.getClientRects().length > 0 || !hasLayout()));
}

// happy-dom lays nothing out: every element has no boxes there.
function hasLayout(): boolean {
  return typeof document !== 'undefined' && document.body.getClientRects().length > 0;
}

function tryFocus(selector: string): boolean {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el || el.closest('[inert]')) return false;
  // Behind an open modal dialog everything is inert: wait until it closes.
  const modal = document.querySelector('dialog[open]');
  if (modal && !modal.contains(el)) return false;
  el.focus();
  return document.activeElement === el;
}

/** Focuses the first element matching `selector` now or as soon as it can be focused (within 10 s). */
export function focusSoon(selector: string): void {
  cancelFocusSoon();
  if (typeof document === 'undefined') return;
  if (tryFocus(selector)) return;
  const observer = new MutationObserver(() => {
    if (tryFocus(selector)) cancelFocusSoon();
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['open', 'disabled', 'inert', 'data-id', 'data-status'] });
  const timer = setTimeout(cancelFocusSoon, 10_000);
  // A person who clicks somewhere meanwhile has chosen where to be.
  const onPointer = () => cancelFocusSoon();
  document.addEventListener('pointerdown', onPointer, true);
  pending = {
    selector,
    stop: () => {
      observer.disconnect();
      clearTimeout(timer);
      document.removeEventListener('pointerdown', onPointer, true);
    },
  };
}

export function cancelFocusSoon(): void {
  pending?.stop();
  pending = null;
}

/**
 * Whether the focus is nowhere but the page itself: the button that had it turned off or went
 * away while its work ran, and the person has not gone anywhere else since.
 */
export function focusLost(): boolean {
  return typeof document !== 'undefined' && (document.activeElement === null || document.activeElement === document.body);
}

/** Whether a focusSoon is still waiting (a closing dialog then leaves focus to it). */
export function focusPending(): boolean {
  return pending !== null;
}

/** Whether a key press came from a place where typing means text (shortcuts stay quiet there). */
export function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file'].includes(target.type);
  return false;
}
