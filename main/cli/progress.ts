// Live progress of a running execution, fed by the operator's events. On a terminal: one
// cli-progress bar per step execution, redrawn in place. Anywhere else (cron, a log file,
// CI): plain lines, since cursor movements would garble a log, and at most one progress line
// per second, so a long job does not write megabytes of them.
//
// The bars are redrawn from the events themselves (the first progress at once, then at most every
// REDRAW_MS), not only by cli-progress's own timer: on SQLite a job's chunks follow each other
// through promises that are already resolved, so the event loop never reaches its timers until the
// step ends, and a 1.5 s run showed no bar at all (issue 16 item 16).
import cliProgress from 'cli-progress';
import type { BatchEvent, StepProgress } from '../batch/index.ts';
import { formatCount, formatDuration, formatTime } from './format.ts';
import type { Cli, TextSink } from './io.ts';
import { pad } from './table.ts';

export interface ProgressView {
  handle(event: BatchEvent): void;
  /** A message among the progress output (e.g. "stopping…"), without tearing a bar. */
  note(line: string): void;
  /** Leaves the terminal as it found it; safe to call twice. */
  close(): void;
}

const PLAIN_INTERVAL_MS = 1000;
/** at most this often a bar view redraws on its own for chunk commits (cli-progress's fps: 5) */
export const REDRAW_MS = 200;
const BAR_WIDTH = 24;
const NAME_WIDTH = 22;

function etaSeconds(step: StepProgress): number | undefined {
  if (step.expectedItems === undefined || step.itemsPerSecond <= 0) return undefined;
  return Math.max(0, step.expectedItems - step.readCount) / step.itemsPerSecond;
}

function fraction(step: StepProgress): number | undefined {
  if (!step.expectedItems) return undefined;
  return Math.min(1, step.readCount / step.expectedItems);
}

/** `4,500 of 10,003 read (45%), 4,500 written, 1,234 items/s, ETA 5.2 s` */
export function progressText(step: StepProgress): string {
  const part = fraction(step);
  const read =
    part === undefined
      ? `${formatCount(step.readCount)} read`
      : `${formatCount(step.readCount)} of ${formatCount(step.expectedItems!)} read (${Math.floor(part * 100)}%)`;
  const parts = [read, `${formatCount(step.writeCount)} written`];
  const skipped = step.readSkipCount + step.processSkipCount + step.writeSkipCount;
  if (skipped) parts.push(`${formatCount(skipped)} skipped`);
  parts.push(`${formatCount(step.itemsPerSecond)} items/s`);
  const eta = etaSeconds(step);
  if (eta !== undefined) parts.push(`ETA ${formatDuration(eta * 1000)}`);
  return parts.join(', ');
}

/** `elapsedMs` is unknown for a step whose start was not seen (see BarView.entryFor). */
function finishedText(step: StepProgress, elapsedMs: number | undefined): string {
  const skipped = step.readSkipCount + step.processSkipCount + step.writeSkipCount;
  return (
    `${step.status}: read ${formatCount(step.readCount)}, written ${formatCount(step.writeCount)}` +
    (skipped ? `, skipped ${formatCount(skipped)}` : '') +
    (elapsedMs === undefined ? '' : ` in ${formatDuration(elapsedMs)}`)
  );
}

/** What time it is, in ms: Date.now, or a test's clock. */
export type Clock = () => number;

export function progressView(cli: Cli, now: Clock = Date.now): ProgressView {
  return cli.isTTY ? new BarView(cli.out, now) : new PlainView(cli, now);
}

/**
 * When a view draws again: the first time it is asked at once, then once `intervalMs` has passed
 * since it last drew. The clock is injected, so the pacing is tested without waiting.
 */
export class RedrawPacer {
  private last: number | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly now: Clock,
  ) {}

  /** true (and the time noted) when a draw is due now */
  due(): boolean {
    const now = this.now();
    if (this.last !== undefined && now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }

  /** a draw happened anyway (a step's end): the interval starts again from now */
  drew(): void {
    this.last = this.now();
  }
}

class PlainView implements ProgressView {
  private lastProgressLine = 0;
  private readonly startedAt = new Map<number, number>();

  constructor(
    private readonly cli: Cli,
    private readonly now: Clock,
  ) {}

  private line(text: string): void {
    this.cli.print(`${formatTime(new Date(this.now()), this.cli.timeZone)}  ${text}`);
  }

  handle(event: BatchEvent): void {
    const now = this.now();
    switch (event.type) {
      case 'step-started':
        this.startedAt.set(event.step.stepExecutionId, now);
        // A step that ends within a second needs no progress line between its start and end.
        this.lastProgressLine = Math.max(this.lastProgressLine, now);
        this.line(`${event.step.stepName} started`);
        break;
      case 'chunk-committed':
        if (now - this.lastProgressLine < PLAIN_INTERVAL_MS) return;
        this.lastProgressLine = now;
        this.line(`${event.step.stepName}: ${progressText(event.step)}`);
        break;
      case 'step-finished': {
        const started = this.startedAt.get(event.step.stepExecutionId);
        this.line(`${event.step.stepName} ${finishedText(event.step, started === undefined ? undefined : now - started)}`);
        break;
      }
      default:
        // Job start and end are the run command's own header and summary.
        break;
    }
  }

  note(line: string): void {
    this.line(line);
  }

  close(): void {}
}

interface BarPayload {
  name: string;
  text: string;
  showBar: boolean;
}

/** One bar line: name, the bar when the total is known, then the counts. */
function renderBar(_options: cliProgress.Options, params: cliProgress.Params, payload: BarPayload): string {
  const done = Math.round(Math.min(1, Math.max(0, params.progress)) * BAR_WIDTH);
  const bar = payload.showBar ? `[${'█'.repeat(done)}${'░'.repeat(BAR_WIDTH - done)}] ` : '';
  return `${pad(payload.name, NAME_WIDTH)} ${bar}${payload.text}`;
}

class BarView implements ProgressView {
  private readonly multi: cliProgress.MultiBar;
  private readonly bars = new Map<number, { bar: cliProgress.SingleBar; startedAt: number | undefined }>();
  private closed = false;
  private readonly pacer: RedrawPacer;

  constructor(
    private readonly out: TextSink,
    private readonly now: Clock,
  ) {
    this.pacer = new RedrawPacer(REDRAW_MS, now);
    // cli-progress draws only on a stream that says it is a TTY; a test's collector (or a
    // caller that knows better, deps.isTTY) gets a thin stream that says so.
    const stream = { isTTY: true, columns: out.columns ?? 120, write: (text: string) => out.write(text) };
    this.multi = new cliProgress.MultiBar({
      stream: stream as unknown as NodeJS.WritableStream,
      format: renderBar as cliProgress.GenericFormatter,
      hideCursor: true,
      clearOnComplete: false,
      fps: 5,
      // Ctrl-C belongs to the run command (first: stop gracefully); cli-progress must not take it.
      gracefulExit: false,
    });
  }

  handle(event: BatchEvent): void {
    if (this.closed) return;
    switch (event.type) {
      case 'step-started':
        this.entryFor(event.step, true);
        break;
      case 'chunk-committed': {
        const { bar } = this.entryFor(event.step, false);
        const { expectedItems } = event.step;
        if (expectedItems) bar.setTotal(expectedItems);
        bar.update(expectedItems ? Math.min(event.step.readCount, expectedItems) : 0, {
          text: progressText(event.step),
          showBar: Boolean(expectedItems),
        });
        if (this.pacer.due()) this.multi.update();
        break;
      }
      case 'step-finished': {
        const { bar, startedAt } = this.entryFor(event.step, false);
        bar.update({ text: finishedText(event.step, startedAt === undefined ? undefined : this.now() - startedAt), showBar: false });
        this.multi.update();
        this.pacer.drew();
        break;
      }
      default:
        break;
    }
  }

  /**
   * The bar of a step execution, made on first sight: partitions run on worker threads
   * report only their end, so some steps are first seen finishing, with no start time.
   */
  private entryFor(step: StepProgress, starting: boolean): { bar: cliProgress.SingleBar; startedAt: number | undefined } {
    let entry = this.bars.get(step.stepExecutionId);
    if (!entry) {
      const bar = this.multi.create(1, 0, { name: step.stepName, text: 'starting', showBar: false } satisfies BarPayload);
      entry = { bar, startedAt: starting ? this.now() : undefined };
      this.bars.set(step.stepExecutionId, entry);
    }
    return entry;
  }

  note(line: string): void {
    if (this.closed || !this.bars.size) {
      this.out.write(line + '\n');
      return;
    }
    // Printed above the bars on the next redraw.
    this.multi.log(line + '\n');
    this.multi.update();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.bars.size) this.multi.stop();
  }
}
