// Writes items as CSV lines to a temp file and renames it to its real name when the step
// completes, so a half-written file never carries the real name. Restartable: the byte length
// at each commit is saved in the step's context, a restart truncates the temp file to it, so
// no line is lost or written twice. UTF-8 with a BOM by default, so Excel reads Korean.
//
// write() only buffers the chunk's lines; update() (inside the chunk's transaction, after
// write) puts them at the last committed length. A chunk whose transaction is retried calls
// update() again and overwrites the same bytes instead of appending them twice.
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { ItemWriter } from '../job.ts';
import type { ExecutionContext } from '../model.ts';

export interface CsvFileWriterOptions<T> {
  /** the file's real name; it appears only when the step has completed */
  path: string;
  /** the name written to until then (default `<path>.tmp`) */
  tempPath?: string;
  /** the first line (none when omitted) */
  header?: string[];
  /** one CSV record per item */
  row: (item: T) => unknown[];
  /** a UTF-8 byte order mark first (default true: Excel then reads non-ASCII text right) */
  bom?: boolean;
  /** record separator (default CRLF, as RFC 4180 and Excel have it) */
  recordDelimiter?: 'unix' | 'windows';
  /** names the saved position; two writers in one step need different names */
  name?: string;
}

export interface CsvFileWriter<T> extends ItemWriter<T> {
  readonly path: string;
  readonly tempPath: string;
  /** bytes written so far (BOM and header included) */
  readonly size: number;
  /** records written so far (header excluded) */
  readonly rows: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function csvFileWriter<T>(options: CsvFileWriterOptions<T>): CsvFileWriter<T> {
  const tempPath = options.tempPath ?? `${options.path}.tmp`;
  const offsetKey = `${options.name ?? 'csvFileWriter'}.offset`;
  const rowsKey = `${options.name ?? 'csvFileWriter'}.rows`;
  const record_delimiter = options.recordDelimiter ?? 'windows';
  let fd: number | undefined;
  let size = 0;
  let rows = 0;
  let pending: Buffer[] = [];
  let pendingRows = 0;
  // Where each chunk's bytes start, by the context object the engine hands to update(): a
  // retried chunk comes with the same object and goes to the same place.
  const starts = new WeakMap<ExecutionContext, { offset: number; rows: number }>();
  let committed = { offset: 0, rows: 0 };

  const close = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };

  return {
    path: options.path,
    tempPath,
    get size() {
      return size;
    },
    get rows() {
      return rows;
    },
    open(context) {
      close();
      pending = [];
      pendingRows = 0;
      mkdirSync(dirname(tempPath), { recursive: true });
      const saved = context[offsetKey];
      if (typeof saved === 'number') {
        // The last run finished writing and renamed the file, but died before recording the
        // step COMPLETED: carry on from the renamed file.
        if (!existsSync(tempPath) && existsSync(options.path)) renameSync(options.path, tempPath);
        if (!existsSync(tempPath)) throw new Error(`Cannot resume ${options.path}: its temp file ${tempPath} is gone; start a new instance`);
        fd = openSync(tempPath, 'r+');
        if (fstatSync(fd).size < saved) throw new Error(`Cannot resume ${options.path}: ${tempPath} is shorter than the ${saved} bytes committed`);
        ftruncateSync(fd, saved);
        committed = { offset: saved, rows: Number(context[rowsKey] ?? 0) };
      } else {
        fd = openSync(tempPath, 'w');
        const head = Buffer.concat([
          options.bom === false ? Buffer.alloc(0) : BOM,
          options.header ? Buffer.from(stringify([options.header], { record_delimiter }), 'utf8') : Buffer.alloc(0),
        ]);
        writeSync(fd, head, 0, head.length, 0);
        committed = { offset: head.length, rows: 0 };
      }
      size = committed.offset;
      rows = committed.rows;
    },
    async write(items) {
      // All or nothing: a failing row leaves the buffer as it was.
      const text = stringify(items.map(options.row), { record_delimiter });
      pending.push(Buffer.from(text, 'utf8'));
      pendingRows += items.length;
    },
    update(context) {
      if (fd === undefined) throw new Error(`csvFileWriter ${options.path}: update() before open()`);
      let start = starts.get(context);
      if (!start) {
        // The context arrives as the last commit left it, before this chunk's position is added.
        start = typeof context[offsetKey] === 'number' ? { offset: context[offsetKey] as number, rows: Number(context[rowsKey] ?? 0) } : committed;
        starts.set(context, start);
      }
      const bytes = Buffer.concat(pending);
      writeSync(fd, bytes, 0, bytes.length, start.offset);
      ftruncateSync(fd, start.offset + bytes.length);
      size = start.offset + bytes.length;
      rows = start.rows + pendingRows;
      committed = { offset: size, rows };
      pending = [];
      pendingRows = 0;
      context[offsetKey] = size;
      context[rowsKey] = rows;
    },
    async complete() {
      if (fd === undefined) throw new Error(`csvFileWriter ${options.path}: complete() before open()`);
      if (pending.length) throw new Error(`csvFileWriter ${options.path}: complete() with lines written but never committed`);
      fsyncSync(fd);
      close();
      renameSync(tempPath, options.path);
    },
    close,
  };
}
