import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { createCleaner } from './clean.js';
import { openCsv } from './csv-stream.js';
import { runImport } from './imports.pipeline.js';
import { suggestMapping } from './mapping.js';
import { collectMedians } from './median.js';
import { hashingSource } from './report.js';
import { openXlsx } from './xlsx-stream.js';
import type { CleanRecord, ImportMapping, TableReader } from './imports.types.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/imports/', import.meta.url));
const UTF8 = FIXTURES + 'messy-customers.csv';
const GBK = FIXTURES + 'messy-customers.gbk.csv';

function fixtureMapping(header: readonly string[]): ImportMapping {
  const base = suggestMapping(header, 'business_hall');
  return {
    ...base,
    missing: { ...base.missing, monthlyChargeFen: { rule: 'median' }, category: { rule: 'default', value: '普通用户' } },
  };
}

async function importFixture(open: () => Promise<TableReader>) {
  const first = await open();
  const mapping = fixtureMapping(first.header);
  const medians = await collectMedians(first.batches, mapping, first.header);
  const records: CleanRecord[] = [];
  const report = await runImport({ reader: await open(), mapping, medians, onBatch: (b) => void records.push(...b.records) });
  return { report, records, medians };
}

/** The fixture's known defects, row by row (header = row 1, row 14 is blank). */
const EXPECTED_REJECTED: [number, string][] = [
  [5, 'phone_invalid'],
  [6, 'required_missing'],
  [7, 'duplicate_in_file'],
  [8, 'id_number_checksum'],
  [10, 'date_invalid'],
  [11, 'email_invalid'],
  [12, 'duplicate_in_file'],
  [16, 'date_unparseable,money_invalid'],
  [17, 'gender_invalid'],
  [18, 'category_invalid'],
  [20, 'money_negative'],
];
const EXPECTED_STEPS = {
  text_trimmed: 5,
  fullwidth_normalised: 4,
  phone_normalised: 5,
  phone_rejected: 1,
  id_number_upgraded: 1,
  id_number_rejected: 1,
  birth_date_from_id: 3,
  gender_from_id: 4,
  date_parsed: 34,
  date_ambiguous_resolved: 1,
  date_excel_serial: 0,
  date_rejected: 2,
  money_parsed: 17,
  money_rounded: 0,
  money_rejected: 2,
  email_lowercased: 1,
  email_rejected: 1,
  type_rejected: 2,
  missing_default: 1,
  missing_median: 1,
  missing_rejected: 1,
  duplicate_in_file: 2,
  duplicate_existing: 0,
  flagged_for_review: 2,
};

function assertFixtureReport({ report, records, medians }: Awaited<ReturnType<typeof importFixture>>): void {
  assert.equal(medians.monthlyChargeFen, 3000);
  assert.deepEqual(report.totals, {
    rows: 20,
    clean: 9,
    rejected: 11,
    duplicatesInFile: 2,
    duplicatesExisting: 0,
    flaggedForReview: 2,
    inserted: null,
    updated: null,
    merged: null,
  });
  assert.deepEqual(
    report.rejectedSample.map((r) => [r.row, r.issues.map((i) => i.code).join(',')]),
    EXPECTED_REJECTED,
  );
  assert.deepEqual(report.steps, EXPECTED_STEPS);
  assert.deepEqual(
    report.flaggedSample.map((f) => [f.row, f.reason, f.ofRow]),
    [
      [13, 'same_name_and_birth_date', 2],
      [21, 'birth_date_differs_from_id_number', null],
    ],
  );
  assert.deepEqual(
    records.map((r) => r.row),
    [2, 3, 4, 9, 13, 15, 19, 21, 22],
  );
  const byRow = new Map(records.map((r) => [r.row, r]));
  assert.deepEqual(byRow.get(2), {
    row: 2,
    name: '张三',
    phone: '13800138000',
    idNumber: '110105199003071239',
    birthDate: '1990-03-07',
    gender: 'male',
    email: 'zhangsan@example.com',
    address: '北京市朝阳区',
    category: 'regular',
    channel: 'business_hall',
    signupDate: '2024-03-05',
    monthlyChargeFen: 5800,
    tags: ['VIP', '宽带'],
    externalId: null,
    extras: { 备注: '说"你好"' },
    existing: null,
  });
  assert.deepEqual(
    [byRow.get(3)!.phone, byRow.get(3)!.birthDate, byRow.get(3)!.gender, byRow.get(3)!.monthlyChargeFen],
    ['13900139001', '1985-05-12', 'female', 1250],
  );
  assert.deepEqual([byRow.get(4)!.name, byRow.get(4)!.phone, byRow.get(4)!.address, byRow.get(4)!.monthlyChargeFen], ['王五', '13700137002', '深圳市南山区', 123450]);
  assert.deepEqual([byRow.get(9)!.birthDate, byRow.get(9)!.signupDate], ['1992-03-05', '2024-01-05']);
  assert.deepEqual([byRow.get(15)!.name, byRow.get(15)!.address, byRow.get(15)!.tags], ['林小美', '广州市天河区', ['a', 'b']]);
  assert.deepEqual([byRow.get(19)!.idNumber, byRow.get(19)!.monthlyChargeFen], ['510107198808084427', 3000]);
  assert.deepEqual([byRow.get(21)!.idNumber, byRow.get(21)!.birthDate], ['32010219990101552X', '1999-01-01']);
  assert.equal(byRow.get(22)!.category, 'regular');
}

describe('the messy-customers fixture', () => {
  it('gives the exact expected report (UTF-8 with BOM)', async () => {
    const result = await importFixture(() => openCsv(UTF8));
    assert.equal(result.report.encoding, 'utf-8');
    assertFixtureReport(result);
  });

  it('gives the same report from the GBK-encoded copy', async () => {
    const result = await importFixture(() => openCsv(GBK));
    assert.equal(result.report.encoding, 'gbk');
    assertFixtureReport(result);
  });

  it('gives the same report from an XLSX copy', async () => {
    const csv = await openCsv(UTF8);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('客户');
    ws.addRow([...csv.header]);
    for await (const batch of csv.batches) for (const r of batch) ws.getRow(r.row).values = [...r.cells];
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const result = await importFixture(() => openXlsx(Readable.from([xlsx])));
    assert.equal(result.report.format, 'xlsx');
    assertFixtureReport(result);
  });

  it('hashes the file as it streams, the same for every read', async () => {
    const a = hashingSource(createReadStream(UTF8));
    const ra = await openCsv(a.source);
    for await (const _ of ra.batches);
    const b = hashingSource(createReadStream(UTF8));
    const rb = await openCsv(b.source);
    for await (const _ of rb.batches);
    assert.match(a.digest(), /^[0-9a-f]{64}$/);
    assert.equal(a.digest(), b.digest());
  });

  it('asks the caller about existing customers and marks the matches', async () => {
    const reader = await openCsv(UTF8);
    const mapping = fixtureMapping(reader.header);
    const asked: string[][] = [];
    const report = await runImport({
      reader,
      mapping: { ...mapping, missing: { ...mapping.missing, monthlyChargeFen: { rule: 'null' } } },
      existingByPhoneOrId: async ({ phones, idNumbers }) => {
        asked.push([...phones], [...idNumbers]);
        return new Map([
          ['13800138000', { customerId: 'c-1' }],
          ['510107198808084427', { customerId: 'c-2' }],
        ]);
      },
    });
    assert.equal(report.totals.duplicatesExisting, 2);
    assert.equal(report.steps.duplicate_existing, 2);
    assert.ok(asked[0]!.includes('13800138000'));
    assert.ok(asked[1]!.includes('510107198808084427'));
  });

  it('refuses a default value that would itself be rejected', async () => {
    const reader = await openCsv(UTF8);
    const base = suggestMapping(reader.header, 'x');
    assert.throws(() => createCleaner({ mapping: { ...base, missing: { ...base.missing, category: { rule: 'default', value: 'VIP' } } }, header: reader.header }), {
      code: 'import_mapping_default_invalid',
    });
    const ok = createCleaner({ mapping: { ...base, missing: { ...base.missing, signupDate: { rule: 'default', value: '2024/1/1' } } }, header: reader.header });
    assert.equal(ok.steps.missing_default, 0, 'the probe leaves no counts behind');
  });

  it('refuses a median rule without a first pass', async () => {
    const reader = await openCsv(UTF8);
    assert.throws(() => createCleaner({ mapping: fixtureMapping(reader.header), header: reader.header }), { code: 'import_median_unknown' });
  });

  it('reports a third row against the row that was kept', async () => {
    const csv = 'name,phone,id_number\nA,13800000001,110105199003071239\nB,13800000002,110105199003071239\nC,13800000002,\n';
    const reader = await openCsv((async function* () {
      yield new TextEncoder().encode(csv);
    })());
    const cleaner = createCleaner({ mapping: suggestMapping(reader.header, 'x'), header: reader.header });
    const dups = [];
    for await (const rows of reader.batches) dups.push(...(await cleaner.cleanBatch(rows)).duplicates);
    assert.deepEqual(
      dups.map((d) => [d.row, d.ofRow, d.key]),
      [
        [3, 2, 'idNumber'],
        [4, 2, 'phone'],
      ],
    );
  });

  it('returns in-file duplicates with the earlier row and the cleaned later row', async () => {
    const reader = await openCsv(UTF8);
    const mapping = fixtureMapping(reader.header);
    const cleaner = createCleaner({ mapping, header: reader.header, medians: { monthlyChargeFen: 3000 } });
    const dups = [];
    for await (const rows of reader.batches) dups.push(...(await cleaner.cleanBatch(rows)).duplicates);
    assert.deepEqual(
      dups.map((d) => [d.row, d.ofRow, d.key, d.record.name]),
      [
        [7, 2, 'phone', '孙七'],
        [12, 3, 'idNumber', '陈二'],
      ],
    );
  });
});
