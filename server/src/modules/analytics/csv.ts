/** Minimal RFC 4180 CSV reader for small reference files (quotes, "" escapes, CRLF). */

/** Parses CSV text into objects keyed by the header row. Throws RangeError on a ragged row. */
export function parseCsv(text: string): Record<string, string>[] {
  const records = parseRecords(text);
  const header = records.shift() ?? [];
  return records.map((rec, r) => {
    if (rec.length !== header.length) throw new RangeError(`CSV line ${r + 2} has ${rec.length} fields, header has ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h, rec[i]!]));
  });
}

function parseRecords(text: string): string[][] {
  const out: string[][] = [];
  let rec: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      rec.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      rec.push(field);
      field = '';
      if (rec.length > 1 || rec[0] !== '') out.push(rec);
      rec = [];
    } else field += ch;
  }
  if (field !== '' || rec.length) {
    rec.push(field);
    out.push(rec);
  }
  return out;
}
