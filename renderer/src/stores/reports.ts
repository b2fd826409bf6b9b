// 보고서: the daily and weekly report files, and the open one's first rows.
import { create } from 'zustand';
import type { ReportView } from '../../../main/service/contract.ts';
import { bridge, type ReportContents } from '../bridge/index.ts';
import { parseCsv } from '../lib/csv.ts';
import { idle, load, type Load } from './errors.ts';

export const PREVIEW_ROWS = 50;

interface ReportsState {
  kind: 'DAILY' | 'WEEKLY' | '';
  reports: Load<ReportView[]>;
  selected: number | null;
  preview: Load<{ fileName: string; rows: string[][]; contents: ReportContents }>;
  setKind(kind: ReportsState['kind']): Promise<void>;
  reload(): Promise<void>;
  open(reportSeq: number): Promise<void>;
}

export const useReports = create<ReportsState>((set, get) => ({
  kind: '',
  reports: idle,
  selected: null,
  preview: idle,
  async setKind(kind) {
    set({ kind });
    await get().reload();
  },
  async reload() {
    const kind = get().kind;
    await load((reports) => set({ reports }), get().reports, () => bridge().call('reports.list', kind ? { kind } : {}));
  },
  async open(reportSeq) {
    set({ selected: reportSeq, preview: idle });
    await load(
      (preview) => {
        if (get().selected === reportSeq) set({ preview });
      },
      idle,
      async () => {
        const contents = await bridge().readReport(reportSeq);
        return { fileName: contents.fileName, rows: parseCsv(contents.text, PREVIEW_ROWS + 1), contents };
      },
    );
  },
}));
