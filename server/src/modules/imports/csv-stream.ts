import { createReadStream } from 'node:fs';
import { invalid } from '../../platform/errors.js';
import type { RawRow, TableReader } from './imports.types.js';

/** Options for {@link openCsv}. */
export interface CsvOptions {
  /** `auto` (default) sniffs the first 64 KiB: a UTF-8 BOM or valid UTF-8 → UTF-8, else GBK. */
  readonly encoding?: 'auto' | 'utf-8' | 'gbk';
  /** Field separator; by default the most frequent of `,` `;` TAB in the header line. */
  readonly delimiter?: ',' | ';' | '\t';
  /** Rows per yielded batch (default 500: small batches stay in V8's young generation, which halves GC time). */
  readonly batchSize?: number;
  /** A record longer than this is an error rather than unbounded buffering (default 1 MiB). */
  readonly maxRecordChars?: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SNIFF_BYTES = 64 * 1024;
const PARSE_SLICE = 64 * 1024;

/**
 * Parses RFC 4180 records from `s` into `out`, returning the index of the
 * first character not consumed. Without `final`, a record that may continue
 * in the next chunk (no line end yet, an open quote, a `"` at the very end)
 * is left unconsumed; the caller prepends it to the next chunk.
 *
 * Lenient where real exports are sloppy: a `"` inside an unquoted field is
 * kept as text, and text after a closing quote is appended to the field.
 */
export function parseCsvChunk(s: string, final: boolean, delim: number, out: string[][]): number {
  const n = s.length;
  let i = 0;
  let recStart = 0;
  let row: string[] = [];
  while (i < n) {
    let field: string;
    if (s.charCodeAt(i) === QUOTE) {
      let j = i + 1;
      field = '';
      for (;;) {
        const q = s.indexOf('"', j);
        if (q === -1 || (q + 1 === n && !final)) {
          if (!final) return recStart;
          field += s.slice(j);
          i = n;
          break;
        }
        if (s.charCodeAt(q + 1) === QUOTE) {
          field += s.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        field += s.slice(j, q);
        i = q + 1;
        break;
      }
      if (i < n) {
        const c = s.charCodeAt(i);
        if (c !== delim && c !== LF && c !== CR) {
          let j = i;
          while (j < n && s.charCodeAt(j) !== delim && s.charCodeAt(j) !== LF && s.charCodeAt(j) !== CR) j++;
          if (j === n && !final) return recStart;
          field += s.slice(i, j);
          i = j;
        }
      }
    } else {
      let j = i;
      for (;;) {
        if (j === n) break;
        const c = s.charCodeAt(j);
        if (c === delim || c === LF || c === CR) break;
        j++;
      }
      if (j === n && !final) return recStart;
      field = s.slice(i, j);
      i = j;
    }
    row.push(field);
    if (i >= n) break;
    const c = s.charCodeAt(i);
    if (c === delim) {
      i++;
      if (i === n && final) row.push('');
      continue;
    }
    if (c === CR) {
      if (i + 1 === n && !final) return recStart;
      i += s.charCodeAt(i + 1) === LF ? 2 : 1;
    } else {
      i++;
    }
    out.push(row);
    row = [];
    recStart = i;
  }
  if (row.length > 0) {
    if (!final) return recStart;
    out.push(row);
  }
  return final ? n : recStart;
}

/** Header cells are trimmed; an empty one is named `column_<n>` (1-based) so it can be mapped and reported. */
export function headerName(h: string, i: number): string {
  const t = h.trim();
  return t === '' ? `column_${i + 1}` : t;
}

/** Empty lines, and lines of bare commas that spreadsheets append, carry no data. */
function isBlank(cells: readonly string[]): boolean {
  for (const c of cells) if (c !== '') return false;
  return true;
}

function detectDelimiter(firstLine: string): number {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best.charCodeAt(0);
}

function detectEncoding(head: Uint8Array): 'utf-8' | 'gbk' {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'gbk';
  }
}

async function* concatHead(head: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let done = false;
  try {
    yield* head;
    for (let r = await rest.next(); r.done !== true; r = await rest.next()) yield r.value;
    done = true;
  } finally {
    // A consumer that stops early (an error in the DB stage) must still close the file.
    if (!done) await rest.return?.();
  }
}

/**
 * Opens a CSV byte stream as a {@link TableReader}: the header, then data
 * rows in batches, decoding and parsing incrementally so memory stays flat
 * whatever the file size. Pass a path or any async iterable of bytes.
 *
 * Errors (AppError `invalid_data`): `import_empty_file` (no header),
 * `import_encoding_invalid` (invalid UTF-8 after the sniffed start: pass
 * `encoding: 'gbk'`), `import_record_too_large`.
 */
export async function openCsv(input: string | AsyncIterable<Uint8Array>, opts: CsvOptions = {}): Promise<TableReader> {
  const source = typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20 }) : input;
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < SNIFF_BYTES) {
    const r = await it.next();
    if (r.done === true) break;
    head.push(r.value);
    headBytes += r.value.length;
  }
  const sniff = Buffer.concat(head).subarray(0, SNIFF_BYTES);
  const encoding = opts.encoding === undefined || opts.encoding === 'auto' ? detectEncoding(sniff) : opts.encoding;
  const firstText = new TextDecoder(encoding).decode(sniff.subarray(0, 4096), { stream: true });
  const delim = opts.delimiter?.charCodeAt(0) ?? detectDelimiter(firstText.split('\n', 1)[0] ?? '');
  const records = parseRecords(concatHead(head, it), encoding, delim, opts.maxRecordChars ?? 1 << 20);
  // The header is the first non-blank record; blank lines above it still count as rows.
  let rowNo = 0;
  let batch: string[][] = [];
  let headerCells: string[] | undefined;
  while (headerCells === undefined) {
    if (batch.length === 0) {
      const r = await records.next();
      if (r.done === true) throw invalid('import_empty_file', 'The file has no header row');
      batch = r.value;
      continue;
    }
    const cells = batch.shift()!;
    rowNo++;
    if (!isBlank(cells)) headerCells = cells;
  }
  const header = headerCells.map(headerName);
  const batchSize = opts.batchSize ?? 500;
  async function* batches(): AsyncGenerator<RawRow[]> {
    let rows: RawRow[] = [];
    let pending: string[][] | undefined = batch;
    try {
      while (pending !== undefined) {
        for (const cells of pending) {
          rowNo++;
          if (isBlank(cells)) continue;
          rows.push({ row: rowNo, cells });
          if (rows.length >= batchSize) {
            yield rows;
            rows = [];
          }
        }
        const r = await records.next();
        pending = r.done === true ? undefined : r.value;
      }
      if (rows.length > 0) yield rows;
    } finally {
      await records.return(undefined);
    }
  }
  return { format: 'csv', encoding, header, batches: batches() };
}

async function* parseRecords(
  bytes: AsyncIterable<Uint8Array>,
  encoding: 'utf-8' | 'gbk',
  delim: number,
  maxRecordChars: number,
): AsyncGenerator<string[][]> {
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  let carry = '';
  for await (const bigChunk of bytes) {
    // Reads are large (few I/O round trips); parsing goes by 64 KiB slices so
    // the rows alive at once stay in V8's young generation.
    for (let off = 0; off < bigChunk.length; off += PARSE_SLICE) {
      const chunk = bigChunk.length <= PARSE_SLICE ? bigChunk : bigChunk.subarray(off, off + PARSE_SLICE);
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw invalid('import_encoding_invalid', 'The file is not valid UTF-8 past its first 64 KiB; upload it again with encoding GBK');
      }
      const s = carry === '' ? text : carry + text;
      const out: string[][] = [];
      const used = parseCsvChunk(s, false, delim, out);
      carry = used === s.length ? '' : s.slice(used);
      if (carry.length > maxRecordChars) throw invalid('import_record_too_large', `A record is longer than ${maxRecordChars} characters (an unclosed quote?)`);
      if (out.length > 0) yield out;
    }
  }
  const s = carry + decoder.decode();
  if (s.length > 0) {
    const out: string[][] = [];
    parseCsvChunk(s, true, delim, out);
    yield out;
  }
}
