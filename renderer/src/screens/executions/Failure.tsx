// How an execution ended, in the detail: why it failed or stopped in words, or its exit message,
// with the engine's text and the code locations folded away.
import type { FailureView } from '../../../../main/service/contract.ts';
import { useT } from '../../i18n/i18n.ts';
import { splitExitMessage } from '../../lib/format.ts';

/** Why it failed or stopped, in the screen's language with the gym's time; the engine's text folded under it. */
export function Failure({ failure }: { failure: FailureView }) {
  const { t, pick } = useT();
  return (
    <div className="failure" data-testid="failure" data-kind={failure.kind}>
      <div className="field-label">{t('whatHappened')}</div>
      <p className="failure-message" data-testid="failure-message">
        {pick(failure.message)}
      </p>
      <div className="field-label">{t('whatToDo')}</div>
      <p className="failure-advice" data-testid="failure-advice">
        {pick(failure.advice)}
      </p>
      <details className="exit-frames" data-testid="failure-technical">
        <summary>{t('technicalDetails')}</summary>
        <pre>{failure.technical}</pre>
      </details>
    </div>
  );
}

/** An exit message: what went wrong first; the code locations folded under "technical details". */
export function ExitText({ text }: { text: string }) {
  const { t } = useT();
  const { summary, frames } = splitExitMessage(text);
  return (
    <>
      <pre>{summary}</pre>
      {frames && (
        <details className="exit-frames">
          <summary>{t('technicalDetails')}</summary>
          <pre>{frames}</pre>
        </details>
      )}
    </>
  );
}
