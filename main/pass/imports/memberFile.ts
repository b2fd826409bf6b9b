// The member list a gym's old program exported: a CSV (UTF-8 with or without a BOM, or CP949 /
// EUC-KR, which Korean Excel still writes) or an .xlsx workbook (its first sheet). Read as
// records of text, one at a time (csv-parse over iconv-lite's decoder, exceljs's streaming
// reader), so a file of any length takes little memory. The first record is the header; its
// columns are found by their Korean or English names (COLUMN_NAMES).
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export type MemberField = 'id' | 'name' | 'phone' | 'group' | 'package' | 'remaining' | 'start' | 'end';
export type FileFormat = 'csv' | 'xlsx';
export type FileEncoding = 'utf-8' | 'utf-8-bom' | 'cp949';

/** What a header may call each column; compared without spaces, '_', '-' and case. */
export const COLUMN_NAMES: Record<MemberField, readonly string[]> = {
  id: ['회원번호', '회원id', '회원아이디', '아이디', 'id', 'memberid', 'userid', 'memberno', 'membernumber'],
  name: ['이름', '성명', '회원명', '회원이름', 'name', 'membername', 'username'],
  phone: ['전화번호', '휴대폰', '휴대폰번호', '휴대전화', '연락처', '핸드폰', 'phone', 'mobile', 'phonenumber', 'tel'],
  group: ['그룹', '회원그룹', '그룹명', 'group', 'groups', 'membergroup'],
  package: ['이용권', '패키지', '이용권명', '패키지명', 'package', 'pass', 'packagename'],
  remaining: ['잔여횟수', '남은횟수', '잔여', 'remaining', 'usesleft', 'remainingcount'],
  start: ['시작일', '시작', '시작일자', 'start', 'startdate', 'startedat', 'starts'],
  end: ['종료일', '종료', '종료일자', '만료일', 'end', 'enddate', 'endedat', 'ends'],
};
export const MEMBER_FIELDS = Object.keys(COLUMN_NAMES) as MemberField[];

/** Which column (0-based) holds each field; a field the header lacks is absent. */
export type ColumnMapping = Partial<Record<MemberField, number>>;

const squash = (text: string) => text.normalize('NFKC').replace(/^\uFEFF/, '').replace(/[\s_\-.]/g, '').toLowerCase();

/** The mapping a header gives: the first column whose name is one of the field's. */
export function mapColumns(header: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  header.forEach((name, index) => {
    const key = squash(name);
    for (const field of MEMBER_FIELDS) if (mapping[field] === undefined && COLUMN_NAMES[field].includes(key)) mapping[field] = index;
  });
  return mapping;
}

/** Why a header can't be imported (no name column, neither an id nor a phone column), or undefined. */
export function headerProblem(mapping: ColumnMapping): { ko: string; en: string } | undefined {
  if (mapping.name === undefined) {
    return { ko: '이름 열(이름 / name)이 없습니다. 첫 줄에 열 이름이 있어야 합니다', en: 'There is no name column (이름 / name); the first line must name the columns' };
  }
  if (mapping.id === undefined && mapping.phone === undefined) {
    return { ko: '회원번호 열(회원번호 / id)이나 전화번호 열(전화번호 / phone)이 있어야 합니다', en: 'There must be a member id column (회원번호 / id) or a phone column (전화번호 / phone)' };
  }
  if (mapping.package === undefined && (mapping.remaining !== undefined || mapping.start !== undefined || mapping.end !== undefined)) {
    return { ko: '잔여횟수나 시작일, 종료일 열이 있으면 이용권 열(이용권 / package)도 있어야 합니다', en: 'With a remaining, start or end column there must be a package column (이용권 / package)' };
  }
  return undefined;
}

export function formatOf(path: string): FileFormat | undefined {
  const ext = extname(path).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.xlsx' ? 'xlsx' : undefined;
}

const SAMPLE_BYTES = 1 << 20;

/**
 * The CSV's encoding: a UTF-8 byte order mark → UTF-8; the first megabyte valid UTF-8 → UTF-8;
 * else CP949 (a superset of EUC-KR).
 */
export async function detectEncoding(path: string): Promise<FileEncoding> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    const sample = buffer.subarray(0, bytesRead);
    if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8-bom';
    try {
      // stream: true lets a character cut by the sample's end pass; any other invalid byte throws.
      new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: bytesRead === SAMPLE_BYTES });
      return 'utf-8';
    } catch {
      return 'cp949';
    }
  } finally {
    await handle.close();
  }
}

/** A record of the file as text: 1-based row number as a spreadsheet shows it, and its cells. */
export interface FileRecord {
  row: number;
  cells: string[];
}

export interface MemberFile {
  format: FileFormat;
  /** CSV only */
  encoding?: FileEncoding;
  header: string[];
  mapping: ColumnMapping;
  /** the records after the header, in order */
  records: AsyncIterator<FileRecord>;
  close(): Promise<void>;
}

/** Opens the file and reads its header. */
export async function openMemberFile(path: string): Promise<MemberFile> {
  const format = formatOf(path);
  if (!format) throw new Error(`${path}: only .csv and .xlsx files can be imported`);
  await stat(path); // a missing file says so by its own error (ENOENT, with the path)
  const { iterator, close, encoding } = format === 'csv' ? await csvRecords(path) : xlsxRecords(path);
  const first = await iterator.next();
  const header = first.done ? [] : first.value.cells.map((cell) => cell.replace(/^\uFEFF/, '').trim());
  return { format, encoding, header, mapping: mapColumns(header), records: iterator, close };
}

async function csvRecords(path: string) {
  const encoding = await detectEncoding(path);
  const stream = createReadStream(path);
  // iconv-lite strips a UTF-8 BOM itself; CP949 is its name for Windows' Korean code page.
  const decoded = stream.pipe(iconv.decodeStream(encoding === 'cp949' ? 'cp949' : 'utf-8'));
  const parser = decoded.pipe(parse({ relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }));
  const source = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  let row = 0;
  const iterator: AsyncIterator<FileRecord> = {
    async next() {
      const next = await source.next();
      if (next.done) return { done: true, value: undefined };
      row++;
      return { done: false, value: { row, cells: next.value } };
    },
  };
  return {
    encoding,
    iterator,
    close: async () => {
      parser.destroy();
      (decoded as unknown as { destroy(): void }).destroy();
      stream.destroy();
    },
  };
}

function xlsxRecords(path: string) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'emit' });
  async function* rows(): AsyncGenerator<FileRecord> {
    for await (const sheet of workbook) {
      for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        yield { row: row.number, cells };
      }
      return; // the first sheet only
    }
  }
  const generator = rows();
  return {
    encoding: undefined,
    iterator: generator as AsyncIterator<FileRecord>,
    close: async () => {
      await generator.return(undefined);
    },
  };
}

/** A cell as the text a person sees: dates as yyyy-MM-dd, rich text joined, formulas' results. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (v.richText) return v.richText.map((part) => part.text).join('');
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error) return '';
  }
  return String(value);
}

/** How many records a CSV has after its header, counted by line ends (quoted line breaks make it an estimate). */
export async function countCsvLines(path: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let at = chunk.indexOf(0x0a);
    while (at !== -1) {
      lines++;
      at = chunk.indexOf(0x0a, at + 1);
    }
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  if (last !== 0x0a) lines++;
  return Math.max(0, lines - 1);
}
