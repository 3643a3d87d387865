import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createCleaner } from './clean.js';
import { suggestMapping } from './mapping.js';
import type { RawRow } from './imports.types.js';

const HEADER = ['姓名', '手机号', '身份证号', '出生日期', '性别', '邮箱', '地址', '客户类别', '开户日期', '月费', '标签', '客户编号', '备注'];

/** Cells that look almost right: the shapes real exports get wrong. */
const cell = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('1', '3', '8', '-', '+', ' ', '.', '/', '年', '月', '日', '１', '　', 'X', ',', '¥', '元'), maxLength: 22 }),
  fc.constantFrom('', '13800138000', '+86 138 0013 8000', '110105199003071239', '2024-02-30', '05/03/2024', '1,234.5', '男', '学生', 'a@b.cn'),
);

describe('cleaning arbitrary cells (property)', () => {
  it('never throws, and every row ends up exactly once as a record or a rejection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 0, maxLength: HEADER.length + 2 }), { maxLength: 30 }), async (rowsCells) => {
        const mapping = suggestMapping(HEADER, 'fuzz');
        const cleaner = createCleaner({ mapping: { ...mapping, missing: { category: { rule: 'default', value: '其他' } } }, header: HEADER });
        const rows: RawRow[] = rowsCells.map((cells, i) => ({ row: i + 2, cells }));
        const out = await cleaner.cleanBatch(rows);
        const seen = [...out.records.map((r) => r.row), ...out.rejected.map((r) => r.row)].sort((a, b) => a - b);
        assert.deepEqual(
          seen,
          rows.map((r) => r.row),
        );
        for (const r of out.records) {
          assert.ok(r.phone === null || /^1[3-9]\d{9}$/.test(r.phone));
          assert.ok(r.idNumber === null || /^\d{17}[\dX]$/.test(r.idNumber));
          assert.ok(r.birthDate === null || /^\d{4}-\d{2}-\d{2}$/.test(r.birthDate));
          assert.ok(r.monthlyChargeFen === null || Number.isSafeInteger(r.monthlyChargeFen));
          assert.ok(r.phone !== null || r.idNumber !== null || r.externalId !== null);
        }
        for (const r of out.rejected) assert.ok(r.issues.length > 0);
      }),
      { numRuns: 300 },
    );
  });
});
