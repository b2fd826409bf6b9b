// 회원 가져오기: the chosen file (uploaded into the imports folder), its preview and column
// mapping, the dry run and the real import with their live progress (the executions' event
// stream), their outcome, and the rejects file to save.
import { create } from 'zustand';
import type { ExecutionEvent, ImportPreview, ImportRejects, ImportStatus, ImportUpload } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import { isRunning } from '../lib/status.ts';
import type { Lang, Words } from '../i18n/words.ts';
import { idle, load, messageOf, type Load } from './errors.ts';

/** The largest file the service takes (imports.upload). */
export const IMPORT_LIMIT_BYTES = 20 * 1024 * 1024;

export interface ImportRun {
  executionId: number;
  dryRun: boolean;
  read: number;
  written: number;
  skipped: number;
  expected: number | null;
  itemsPerSecond: number;
  finished: boolean;
}

type Outcome = { ok: true } | { ok: false; error: Words };

interface ImportsState {
  upload: Load<ImportUpload>;
  /** the file's name as it was picked (members.csv); the upload's fileName is the stored one, with the moment before it */
  picked: string | null;
  preview: Load<ImportPreview>;
  run: ImportRun | null;
  /** the last finished run's outcome */
  outcome: Load<ImportStatus>;
  /** the dry run of this file has completed: the real import may start */
  checked: boolean;
  choose(file: File): Promise<Outcome>;
  start(dryRun: boolean, lang: Lang): Promise<Outcome>;
  refresh(): Promise<void>;
  rejects(): Promise<ImportRejects | null>;
  reset(): void;
  onEvent(event: ExecutionEvent): void;
}

/** The file's bytes as base64, in slices (String.fromCharCode takes so many arguments at once). */
export async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const TOO_BIG: Words = { ko: '파일이 20MB보다 큽니다.', en: 'The file is larger than 20 MB.' };
const WRONG_KIND: Words = { ko: '.csv 또는 .xlsx 파일만 가져올 수 있습니다.', en: 'Only .csv and .xlsx files can be imported.' };

// The stream brings the counts; this catches the end even when the run finished before the stream saw it.
async function watchUntilDone(executionId: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    await new Promise((resolve) => setTimeout(resolve, i < 5 ? 300 : 1000));
    const run = useImports.getState().run;
    if (!run || run.executionId !== executionId) return;
    if (run.finished) return;
    const status = await bridge().call('imports.status', { id: executionId }).catch(() => null);
    if (status && !isRunning(status.execution.status)) {
      useImports.getState().onEvent({ type: 'job-finished', executionId, jobName: 'importMembersJob', status: status.execution.status, exitMessage: status.execution.exitMessage });
      return;
    }
  }
}

export const useImports = create<ImportsState>((set, get) => ({
  upload: idle,
  picked: null,
  preview: idle,
  run: null,
  outcome: idle,
  checked: false,
  async choose(file) {
    set({ upload: idle, picked: file.name, preview: idle, run: null, outcome: idle, checked: false });
    if (!/\.(csv|xlsx)$/i.test(file.name)) return { ok: false, error: WRONG_KIND };
    if (file.size > IMPORT_LIMIT_BYTES) return { ok: false, error: TOO_BIG };
    const uploaded = await load((upload) => set({ upload }), get().upload, async () => bridge().call('imports.upload', { fileName: file.name, contentBase64: await base64Of(file) }));
    if (!uploaded) {
      const state = get().upload;
      return { ok: false, error: state.state === 'error' ? state.error : messageOf(null) };
    }
    await load((preview) => set({ preview }), get().preview, () => bridge().call('imports.preview', { fileName: uploaded.fileName }));
    return { ok: true };
  },
  async start(dryRun, lang) {
    const upload = get().upload;
    if (upload.state !== 'ready') return { ok: false, error: WRONG_KIND };
    try {
      const execution = await bridge().call('imports.start', { fileName: upload.data.fileName, dryRun, language: lang });
      const preview = get().preview;
      const expected = preview.state === 'ready' ? preview.data.rowEstimate : null;
      set({ run: { executionId: execution.id, dryRun, read: 0, written: 0, skipped: 0, expected, itemsPerSecond: 0, finished: false }, outcome: idle });
      void watchUntilDone(execution.id);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: messageOf(error) };
    }
  },
  async refresh() {
    const run = get().run;
    if (!run) return;
    const status = await load((outcome) => set({ outcome }), get().outcome, () => bridge().call('imports.status', { id: run.executionId }));
    if (status && run.dryRun && status.execution.status === 'COMPLETED') set({ checked: true });
  },
  async rejects() {
    const run = get().run;
    if (!run) return null;
    return bridge().call('imports.rejects', { id: run.executionId });
  },
  reset() {
    set({ upload: idle, picked: null, preview: idle, run: null, outcome: idle, checked: false });
  },
  onEvent(event) {
    const run = get().run;
    if (!run || event.executionId !== run.executionId || run.finished) return;
    if (event.type === 'step-progress') {
      set({ run: { ...run, read: event.readCount, written: event.writeCount, skipped: event.skipCount, expected: event.expectedItems ?? run.expected, itemsPerSecond: event.itemsPerSecond } });
    } else if (event.type === 'job-finished') {
      set({ run: { ...run, finished: true } });
      void get().refresh();
    }
  },
}));
