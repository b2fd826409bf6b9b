// The command line's progress on a terminal (main/cli/progress.ts): a bar is drawn by the chunk
// events themselves, the first progress at once, so a job whose chunks never let the event loop
// reach cli-progress's timer still shows it; later chunks redraw at most every REDRAW_MS. Time is
// a fake clock here, and nothing waits: every draw asserted below happens synchronously.
import { describe, expect, test } from 'vitest';
import type { BatchEvent, StepProgress } from '../../main/batch/index.ts';
import { resolveCli } from '../../main/cli/io.ts';
import { progressView, REDRAW_MS, RedrawPacer } from '../../main/cli/progress.ts';

function terminal() {
  return {
    text: '',
    isTTY: true,
    columns: 160,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

function step(readCount: number, fields: Partial<StepProgress> = {}): StepProgress {
  return {
    stepExecutionId: 7,
    stepName: 'expirePassesStep',
    status: 'STARTED',
    startTime: new Date('2026-12-06T00:00:00Z'),
    itemsPerSecond: 10_000,
    expectedItems: 15_000,
    readCount,
    writeCount: readCount,
    filterCount: 0,
    readSkipCount: 0,
    processSkipCount: 0,
    writeSkipCount: 0,
    commitCount: readCount / 5000,
    rollbackCount: 0,
    ...fields,
  } as StepProgress;
}

const chunk = (readCount: number): BatchEvent => ({ type: 'chunk-committed', jobExecutionId: 1, step: step(readCount) });

describe('RedrawPacer', () => {
  test('the first draw is due at once, the next only once the interval has passed since the last one', () => {
    let now = 1_000;
    const pacer = new RedrawPacer(200, () => now);
    expect(pacer.due()).toBe(true);
    now += 199;
    expect(pacer.due()).toBe(false);
    now += 1;
    expect(pacer.due()).toBe(true);
    now += 150;
    pacer.drew();
    now += 100;
    expect(pacer.due()).toBe(false);
    now += 100;
    expect(pacer.due()).toBe(true);
  });
});

describe('the bar view on a terminal', () => {
  test('the first committed chunk draws the bar at once, without the event loop turning', () => {
    let now = 0;
    const out = terminal();
    const view = progressView(resolveCli({ stdout: out, isTTY: true }, 'Asia/Seoul'), () => now);
    try {
      view.handle({ type: 'step-started', jobExecutionId: 1, step: step(0) });
      now += 300;
      view.handle(chunk(5000));
      expect(out.text).toContain('expirePassesStep');
      expect(out.text).toContain('5,000 of 15,000 read (33%)');
      expect(out.text).toContain('█');
    } finally {
      view.close();
    }
  });

  test('later chunks redraw at most every REDRAW_MS of the clock, and a step’s end at once', () => {
    let now = 0;
    const out = terminal();
    const view = progressView(resolveCli({ stdout: out, isTTY: true }, 'Asia/Seoul'), () => now);
    try {
      view.handle({ type: 'step-started', jobExecutionId: 1, step: step(0) });
      view.handle(chunk(1000));
      expect(out.text).toContain('1,000 of 15,000 read');
      now += REDRAW_MS - 1;
      view.handle(chunk(2000));
      expect(out.text).not.toContain('2,000 of 15,000 read');
      now += 1;
      view.handle(chunk(3000));
      expect(out.text).toContain('3,000 of 15,000 read');
      now += 10;
      view.handle({ type: 'step-finished', jobExecutionId: 1, step: step(15_000, { status: 'COMPLETED' }), exitMessage: '' });
      expect(out.text).toContain('COMPLETED: read 15,000, written 15,000 in 210 ms');
    } finally {
      view.close();
    }
  });

  test('off a terminal the view writes plain lines, a progress line at most once a second of the clock', () => {
    let now = Date.parse('2026-12-06T00:00:00Z');
    const out = { text: '', write(chunk: string) { this.text += chunk; return true; } };
    const view = progressView(resolveCli({ stdout: out, isTTY: false }, 'Asia/Seoul'), () => now);
    view.handle({ type: 'step-started', jobExecutionId: 1, step: step(0) });
    now += 999;
    view.handle(chunk(5000));
    now += 1;
    view.handle(chunk(10_000));
    view.close();
    expect(out.text.split('\n').filter(Boolean)).toEqual([
      '2026-12-06 09:00:00  expirePassesStep started',
      '2026-12-06 09:00:01  expirePassesStep: 10,000 of 15,000 read (66%), 10,000 written, 10,000 items/s, ETA 500 ms',
    ]);
  });
});
