import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { invalid } from '../../platform/errors.js';
import { headerName } from './csv-stream.js';
import type { RawRow, TableReader } from './imports.types.js';

/**
 * The text of one XLSX cell as a CSV export would show it, so the same
 * cleaning applies to both formats:
 * - a date-formatted cell (exceljs gives a `Date`) → `YYYY-MM-DD`;
 * - a number → its shortest decimal form (a date column holding a bare
 *   serial number is read as an Excel serial date by `parseDate`);
 * - rich text, hyperlinks and formulas → their text or cached result;
 * - error cells (`#N/A`) → empty.
 */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('error' in v) return '';
  if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in v) return typeof v.text === 'string' ? v.text : cellText(v.text);
  return '';
}

/**
 * Opens the first worksheet of an XLSX file (path or stream) as a
 * {@link TableReader}, streaming rows with exceljs' `WorkbookReader`:
 * the sheet XML is parsed as it is unzipped, so memory is bounded by the
 * shared-strings table, not the row count. Row numbers are the sheet's own
 * (the header must be on the first non-empty row; that row number + 1 is
 * the first data row).
 *
 * Errors (AppError `invalid_data`): `import_empty_file` (no worksheet or no
 * header row); a corrupt file rejects with exceljs' own error.
 */
export async function openXlsx(input: string | Readable, opts: { batchSize?: number } = {}): Promise<TableReader> {
  const wb = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const sheets = wb[Symbol.asyncIterator]();
  const first = await sheets.next();
  if (first.done === true) throw invalid('import_empty_file', 'The workbook has no worksheet');
  const rows = first.value[Symbol.asyncIterator]();
  let headerRow: ExcelJS.Row | undefined;
  for (let r = await rows.next(); r.done !== true; r = await rows.next()) {
    if (r.value.cellCount > 0) {
      headerRow = r.value;
      break;
    }
  }
  if (headerRow === undefined) throw invalid('import_empty_file', 'The first worksheet has no header row');
  const header: string[] = [];
  const hv = headerRow.values as ExcelJS.CellValue[];
  for (let i = 1; i < hv.length; i++) header.push(headerName(cellText(hv[i]), i - 1));
  const width = header.length;
  const batchSize = opts.batchSize ?? 500;

  async function* batches(): AsyncGenerator<RawRow[]> {
    let batch: RawRow[] = [];
    for (let r = await rows.next(); r.done !== true; r = await rows.next()) {
      const values = r.value.values as ExcelJS.CellValue[];
      const cells: string[] = new Array<string>(width);
      let any = false;
      for (let i = 0; i < width; i++) {
        const t = cellText(values[i + 1]);
        cells[i] = t;
        if (t !== '') any = true;
      }
      if (!any) continue;
      batch.push({ row: r.value.number, cells });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    // Drain the remaining sheets so the unzip stream finishes and closes the file.
    for (let s = await sheets.next(); s.done !== true; s = await sheets.next()) {
      for await (const _row of s.value) {
        /* skip */
      }
    }
  }
  return { format: 'xlsx', encoding: 'xlsx', header, batches: batches() };
}
