import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { parseDate, parseMoneyFen } from './dates-money.js';
import { newStepCounts } from './imports.types.js';
import { cellText, openXlsx } from './xlsx-stream.js';
import type { RawRow } from './imports.types.js';

async function workbook(build: (ws: ExcelJS.Worksheet) => void): Promise<Readable> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('客户'));
  wb.addWorksheet('说明').addRow(['ignored']);
  return Readable.from([Buffer.from(await wb.xlsx.writeBuffer())]);
}

describe('openXlsx', () => {
  it('streams the first sheet as text cells with sheet row numbers', async () => {
    const input = await workbook((ws) => {
      ws.addRow(['姓名', '手机号', '出生日期', '开户日期', '月费', '标签']);
      ws.addRow(['张三', 13800138000, new Date(Date.UTC(1990, 2, 5)), 45356, 12.3, { richText: [{ text: 'V' }, { text: 'IP' }] }]);
      ws.addRow([]);
      ws.addRow(['李四', '139 0013 9001', '1985/3/5', { formula: '1+1', result: 2 }, 0.1 + 0.2, null]);
      ws.getCell('C2').numFmt = 'yyyy-mm-dd';
    });
    const t = await openXlsx(input, { batchSize: 1 });
    assert.deepEqual(t.header, ['姓名', '手机号', '出生日期', '开户日期', '月费', '标签']);
    const rows: RawRow[] = [];
    for await (const b of t.batches) rows.push(...b);
    assert.deepEqual(rows, [
      { row: 2, cells: ['张三', '13800138000', '1990-03-05', '45356', '12.3', 'VIP'] },
      { row: 4, cells: ['李四', '139 0013 9001', '1985/3/5', '2', '0.30000000000000004', ''] },
    ]);
    const c = newStepCounts();
    assert.equal(parseDate(rows[0]!.cells[3]!, 'DMY', c), '2024-03-05', 'a bare serial is an Excel date');
    assert.equal(parseMoneyFen(rows[1]!.cells[4]!, c), 30, 'binary doubles round to the fen');
  });

  it('refuses a workbook without a header', async () => {
    await assert.rejects(openXlsx(await workbook(() => undefined)), { code: 'import_empty_file' });
  });

  it('turns every cell kind into text', () => {
    assert.equal(cellText(null), '');
    assert.equal(cellText(true), 'TRUE');
    assert.equal(cellText({ error: '#N/A' }), '');
    assert.equal(cellText({ text: 'link', hyperlink: 'http://x' }), 'link');
    assert.equal(cellText(2 ** 60), '1152921504606847000', 'IDs stored as numbers lose their last digits and then fail the checksum');
  });
});
