import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { openCsv, parseCsvChunk } from './csv-stream.js';
import type { RawRow } from './imports.types.js';

const COMMA = 44;

function parseAll(s: string): string[][] {
  const out: string[][] = [];
  parseCsvChunk(s, true, COMMA, out);
  return out;
}

async function* chunks(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = Math.max(1, sizes[k++ % Math.max(1, sizes.length)] ?? bytes.length);
    yield bytes.subarray(i, i + n);
    i += n;
  }
}

async function readAll(bytes: Uint8Array, sizes: number[] = [], opts = {}): Promise<{ header: readonly string[]; rows: RawRow[]; encoding: string }> {
  const t = await openCsv(chunks(bytes, sizes), opts);
  const rows: RawRow[] = [];
  for await (const b of t.batches) rows.push(...b);
  return { header: t.header, rows, encoding: t.encoding };
}

function toCsv(rows: string[][], eol: string): string {
  return rows.map((r) => r.map((f) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f)).join(',')).join(eol) + eol;
}

describe('parseCsvChunk (RFC 4180)', () => {
  it('handles quotes, escaped quotes, embedded newlines, CRLF and a missing final newline', () => {
    assert.deepEqual(parseAll('a,b\r\n"x,1","say ""hi"""\r\n"multi\nline",\r\nlast,row'), [
      ['a', 'b'],
      ['x,1', 'say "hi"'],
      ['multi\nline', ''],
      ['last', 'row'],
    ]);
  });
  it('keeps empty fields and a trailing delimiter', () => {
    assert.deepEqual(parseAll(',,\na,'), [
      ['', '', ''],
      ['a', ''],
    ]);
  });
  it('is lenient with stray quotes the way exports produce them', () => {
    assert.deepEqual(parseAll('ab"c,"d"e\n"open'), [
      ['ab"c', 'de'],
      ['open'],
    ]);
  });
  it('leaves an unfinished record for the next chunk', () => {
    const out: string[][] = [];
    const s = 'a,b\n"c\nd';
    assert.equal(parseCsvChunk(s, false, COMMA, out), 4);
    assert.deepEqual(out, [['a', 'b']]);
    assert.equal(parseCsvChunk('x,"y"', false, COMMA, []), 0, 'a quote at the very end may be an escaped one');
    assert.equal(parseCsvChunk('x\r', false, COMMA, []), 0, 'CR may be followed by LF');
  });
  it('parses any table the same whatever the chunking (property)', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', '中', ',', '"', '\n', '\r\n', ' ', '1'), maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 2, maxLength: 8 })),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('\n', '\r\n'),
        async (table, sizes, eol) => {
          table[0] = table[0]!.map((h) => `h${h}`); // a header is never blank: blank records above it are skipped
          const bytes = new TextEncoder().encode(toCsv(table, eol));
          const got = await readAll(bytes, sizes, { encoding: 'utf-8', delimiter: ',' });
          assert.deepEqual(got.header, table[0].map((h, i) => h.trim() || `column_${i + 1}`));
          assert.deepEqual(
            got.rows.map((r) => r.cells),
            table.slice(1).filter((r) => r.some((f) => f !== '')),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('openCsv', () => {
  it('strips a UTF-8 BOM, numbers rows as a spreadsheet does and skips blank lines', async () => {
    const csv = '\ufeff姓名,手机\n张三,1\n\n"李\n四",2\n,\n王五,3';
    const r = await readAll(new TextEncoder().encode(csv), [3]);
    assert.equal(r.encoding, 'utf-8');
    assert.deepEqual(r.header, ['姓名', '手机']);
    assert.deepEqual(
      r.rows.map((x) => [x.row, x.cells[0]]),
      [
        [2, '张三'],
        [4, '李\n四'],
        [6, '王五'],
      ],
    );
  });
  it('detects GBK and decodes it', async () => {
    // 姓名,手机\n张三,1 in GBK
    const gbk = Uint8Array.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xca, 0xd6, 0xbb, 0xfa, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0x31]);
    const r = await readAll(gbk, [5]);
    assert.equal(r.encoding, 'gbk');
    assert.deepEqual(r.header, ['姓名', '手机']);
    assert.deepEqual(r.rows[0]!.cells, ['张三', '1']);
  });
  it('takes the first non-blank record as the header, counting the blank rows above it', async () => {
    const r = await readAll(new TextEncoder().encode('\n\nname,phone\nA,1\n'));
    assert.deepEqual(r.header, ['name', 'phone']);
    assert.deepEqual(r.rows, [{ row: 4, cells: ['A', '1'] }]);
  });

  it('detects the delimiter from the header and names empty header cells', async () => {
    const r = await readAll(new TextEncoder().encode('a; ;c\n1;2,5;3\n'));
    assert.deepEqual(r.header, ['a', 'column_2', 'c']);
    assert.deepEqual(r.rows[0]!.cells, ['1', '2,5', '3']);
  });
  it('closes the byte source when the consumer stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < 1000; i++) yield new TextEncoder().encode(i === 0 ? 'h\n' : `${i}\n`.repeat(50));
      } finally {
        closed = true;
      }
    }
    const t = await openCsv(source(), { batchSize: 10 });
    for await (const b of t.batches) {
      assert.equal(b.length, 10);
      break;
    }
    assert.equal(closed, true);
  });

  it('yields batches of the requested size', async () => {
    const csv = 'h\n' + Array.from({ length: 25 }, (_, i) => String(i)).join('\n');
    const t = await openCsv(chunks(new TextEncoder().encode(csv), [10]), { batchSize: 10 });
    const sizes: number[] = [];
    for await (const b of t.batches) sizes.push(b.length);
    assert.deepEqual(sizes, [10, 10, 5]);
  });
  it('fails with stable codes on an empty file, bad UTF-8 after the sniffed start, and a runaway quote', async () => {
    await assert.rejects(readAll(new Uint8Array()), { code: 'import_empty_file' });
    await assert.rejects(readAll(new TextEncoder().encode('\n,,\n\n')), { code: 'import_empty_file' });
    const late = new Uint8Array(70 * 1024).fill(0x61);
    late[0] = 0x68;
    late[1] = 0x0a;
    late[late.length - 1] = 0xff;
    await assert.rejects(readAll(late, [], { encoding: 'auto' }), { code: 'import_encoding_invalid' });
    const runaway = new TextEncoder().encode('h\n"' + 'x'.repeat(5000));
    await assert.rejects(readAll(runaway, [100], { maxRecordChars: 1000 }), { code: 'import_record_too_large' });
  });
});
