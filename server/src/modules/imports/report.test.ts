import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openCsv } from './csv-stream.js';
import { TELCO_CHURN_MAPPING } from './mapping.presets.js';
import { canonicalJson, csvField, mappingSha256, naturalKey, recordFingerprint, rejectedRowsCsv } from './report.js';
import type { RejectedRow, RawRow } from './imports.types.js';

describe('rejected-rows CSV', () => {
  const header = ['姓名', '手机号'];
  const rows: RejectedRow[] = [
    {
      row: 5,
      issues: [
        { column: '手机号', code: 'phone_invalid', message: "'12345' is not an 11-digit mainland mobile number" },
        { column: '姓名', code: 'required_missing', message: 'name is required' },
      ],
      original: { 姓名: '', 手机号: '12345' },
    },
    { row: 9, issues: [{ column: '', code: 'duplicate_in_file', message: 'Same phone as row 2' }], original: { 姓名: '=HYPERLINK("x")', 手机号: '138,0013' } },
  ];

  it('writes one line per issue with the original cells, quoted and defused', () => {
    assert.equal(
      rejectedRowsCsv(rows, header, true),
      '\ufeffrow,column,code,message,姓名,手机号\r\n' +
        "5,手机号,phone_invalid,'12345' is not an 11-digit mainland mobile number,,12345\r\n" +
        "5,姓名,required_missing,name is required,,12345\r\n" +
        `9,,duplicate_in_file,Same phone as row 2,"'=HYPERLINK(""x"")","138,0013"\r\n`,
    );
    assert.equal(rejectedRowsCsv([], header, false), '');
  });

  it('reads back through the CSV parser', async () => {
    const text = rejectedRowsCsv(rows, header, true);
    const reader = await openCsv((async function* () {
      yield new TextEncoder().encode(text);
    })());
    const back: RawRow[] = [];
    for await (const b of reader.batches) back.push(...b);
    assert.deepEqual(reader.header, ['row', 'column', 'code', 'message', '姓名', '手机号']);
    assert.deepEqual(back.map((r) => r.cells[2]), ['phone_invalid', 'required_missing', 'duplicate_in_file']);
    assert.equal(back[2]!.cells[5], '138,0013');
  });

  it('quotes only when needed', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a"b'), '"a""b"');
    assert.equal(csvField('-1'), "'-1");
    assert.equal(csvField('a\nb'), '"a\nb"');
  });
});

describe('idempotency keys', () => {
  it('hashes a mapping independently of key order', () => {
    const reordered = { dateOrder: 'DMY', missing: TELCO_CHURN_MAPPING.missing, columns: TELCO_CHURN_MAPPING.columns, channel: 'telco_churn', version: 1 } as const;
    assert.equal(mappingSha256(reordered), mappingSha256(TELCO_CHURN_MAPPING));
    assert.notEqual(mappingSha256({ ...TELCO_CHURN_MAPPING, dateOrder: 'MDY' }), mappingSha256(TELCO_CHURN_MAPPING));
    assert.equal(canonicalJson({ b: [1, { d: 2, c: null }], a: 'x' }), '{"a":"x","b":[1,{"c":null,"d":2}]}');
  });
  it('keys records by phone, then ID number, then channel + external id', () => {
    const r = { phone: null, idNumber: null, externalId: '7590-VHVEG', channel: 'telco_churn' };
    assert.equal(naturalKey(r), 'ext:telco_churn:7590-VHVEG');
    assert.equal(naturalKey({ ...r, idNumber: '110105199003071239' }), 'id:110105199003071239');
    assert.equal(naturalKey({ ...r, phone: '13800138000', idNumber: '110105199003071239' }), 'phone:13800138000');
  });
  it('fingerprints a record by its data, not its row number', () => {
    const a = { row: 2, name: '张三', tags: ['a'], extras: { x: '1' }, existing: null };
    assert.equal(recordFingerprint(a), recordFingerprint({ ...a, row: 99 }));
    assert.notEqual(recordFingerprint(a), recordFingerprint({ ...a, tags: ['b'] }));
  });
});
