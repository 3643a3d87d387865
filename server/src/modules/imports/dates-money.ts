import { Fail, isoDate } from './normalise.js';
import type { StepCounts } from './imports.types.js';

const YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const YMD_ZH = /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const XX_XX_YYYY = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;
const SERIAL = /^\d{1,5}(?:\.\d+)?$/;
const DAY_MS = 86_400_000;
/** Day 0 of Excel's 1900 date system, allowing for its phantom 1900-02-29. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * Dates in the forms Chinese channels export, to `YYYY-MM-DD`:
 * `2024-03-05`, `2024/3/5`, `2024.03.05` (optionally with a time, dropped),
 * `20240305`, `2024年3月5日`, and `05/03/2024`.
 *
 * The ambiguous `aa/bb/yyyy` rule: if one side is above 12 it must be the
 * day; otherwise `order` decides — day first (`DMY`) by default, because the
 * channels that write year-last dates are European-style exports; a channel
 * that writes US dates sets `MDY` in its mapping. Each such resolution is
 * counted as `date_ambiguous_resolved`.
 *
 * A bare number of up to 5 digits is an Excel serial date (1900 system), as
 * XLSX cells and CSVs saved from Excel carry them.
 *
 * Failures: `date_unparseable` (no known form), `date_invalid` (a known form
 * but no such day, e.g. 2023-02-29, or outside 1900–2199).
 */
export function parseDate(s: string, order: 'DMY' | 'MDY', c: StepCounts): string | Fail {
  const fast = fastYmd(s);
  if (fast !== null) {
    c.date_parsed++;
    return fast;
  }
  // Dispatch on the 5th character so each cell runs one or two regexes, not five.
  const c4 = s.charCodeAt(4);
  let m = c4 === 45 || c4 === 47 || c4 === 46 ? YMD.exec(s) : c4 === 0x5e74 ? YMD_ZH.exec(s) : s.length === 8 ? COMPACT.exec(s) : null;
  let y: number, mo: number, d: number;
  if (m !== null) {
    y = +m[1]!;
    mo = +m[2]!;
    d = +m[3]!;
  } else if ((m = XX_XX_YYYY.exec(s)) !== null) {
    const a = +m[1]!;
    const b = +m[2]!;
    y = +m[3]!;
    const dayFirst = a > 12 ? true : b > 12 ? false : order === 'DMY';
    if (a <= 12 && b <= 12 && a !== b) c.date_ambiguous_resolved++;
    d = dayFirst ? a : b;
    mo = dayFirst ? b : a;
  } else if (SERIAL.test(s)) {
    const serial = Math.floor(+s);
    // Serials below 61 fall before Excel's phantom 1900-02-29 and are off by one; no customer date is that old.
    if (serial < 61) return rejectDate(c, 'date_invalid', s);
    c.date_excel_serial++;
    c.date_parsed++;
    return new Date(EXCEL_EPOCH_MS + serial * DAY_MS).toISOString().slice(0, 10);
  } else {
    return rejectDate(c, 'date_unparseable', s);
  }
  const iso = isoDate(y, mo, d);
  if (iso === null) return rejectDate(c, 'date_invalid', s);
  c.date_parsed++;
  return iso;
}

/**
 * The common case without regexes: `YYYY-M-D`, `YYYY/M/D`, `YYYY.M.D` and
 * `YYYYMMDD`, a valid date. Anything else (or invalid) → null, and the
 * general path decides, so this only ever adds speed.
 */
function fastYmd(s: string): string | null {
  const n = s.length;
  if (n < 8 || n > 10) return null;
  const y = digits(s, 0, 4);
  if (y < 0) return null;
  const sep = s.charCodeAt(4);
  if (n === 8 && sep >= 48 && sep <= 57) {
    const m = digits(s, 4, 6);
    const d = digits(s, 6, 8);
    return m < 0 || d < 0 ? null : isoDate(y, m, d);
  }
  if (sep !== 45 && sep !== 47 && sep !== 46) return null;
  const sep2 = s.charCodeAt(6) === sep ? 6 : s.charCodeAt(7) === sep ? 7 : -1;
  if (sep2 < 0) return null;
  const m = digits(s, 5, sep2);
  const d = digits(s, sep2 + 1, n);
  return m < 0 || d < 0 || n - sep2 - 1 > 2 ? null : isoDate(y, m, d);
}

/** The number written by s[from, to), or -1 unless it is 1+ ASCII digits. */
function digits(s: string, from: number, to: number): number {
  if (to <= from) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function rejectDate(c: StepCounts, code: 'date_invalid' | 'date_unparseable', s: string): Fail {
  c.date_rejected++;
  return new Fail(code, code === 'date_invalid' ? `'${s}' is not a real date in 1900–2199` : `'${s}' is not a date in a known format`);
}

const MONEY_DECORATION = /^(?:¥|rmb|cny)\s*|\s*(?:元|rmb|cny)$/gi;
const PLAIN = /^(-?)(\d*)(?:\.(\d*))?$/;
const GROUPED = /^(-?)(\d{1,3}(?:,\d{3})+)(?:\.(\d*))?$/;

/**
 * Money to integer fen with exact decimal arithmetic on the digit string: no
 * floating point is involved. Accepts `1,234.50`, `¥12.5`, `12.5元`,
 * `RMB 12`, `.5`. More than two decimals round half-up to the fen (counted
 * as `money_rounded`; XLSX cells hold binary doubles like 12.300000000000001).
 * Failures: `money_invalid` (including a decimal comma like `12,5`, which
 * is ambiguous), `money_negative`, `money_out_of_range` (beyond 2^53 fen).
 */
export function parseMoneyFen(s: string, c: StepCounts): number | Fail {
  const fast = fastFen(s);
  if (fast >= 0) {
    c.money_parsed++;
    return fast;
  }
  const t = s.includes('¥') || /[a-z元]/i.test(s) ? s.replace(MONEY_DECORATION, '') : s;
  let m = PLAIN.exec(t);
  let intDigits: string;
  if (m !== null) intDigits = m[2]!;
  else if ((m = GROUPED.exec(t)) !== null) intDigits = m[2]!.replaceAll(',', '');
  else return rejectMoney(c, 'money_invalid', `'${s}' is not an amount of money`);
  const frac = m[3] ?? '';
  if (intDigits === '' && frac === '') return rejectMoney(c, 'money_invalid', `'${s}' is not an amount of money`);
  if (intDigits.length > 14) return rejectMoney(c, 'money_out_of_range', `'${s}' is too large`);
  let fen = (intDigits === '' ? 0 : +intDigits) * 100 + (frac.length === 0 ? 0 : frac.length === 1 ? +frac * 10 : +frac.slice(0, 2));
  if (frac.length > 2) {
    if (frac.charCodeAt(2) >= 53) fen += 1;
    c.money_rounded++;
  }
  if (m[1] === '-' && fen !== 0) return rejectMoney(c, 'money_negative', `'${s}' is negative`);
  if (!Number.isSafeInteger(fen)) return rejectMoney(c, 'money_out_of_range', `'${s}' is too large`);
  c.money_parsed++;
  return fen;
}

/** `123`, `123.4`, `123.45` (up to 13 integer digits) without regexes; -1 for anything else. */
function fastFen(s: string): number {
  const n = s.length;
  const dot = s.indexOf('.');
  const intEnd = dot < 0 ? n : dot;
  if (intEnd > 13 || (dot >= 0 && (n - dot - 1 < 1 || n - dot - 1 > 2))) return -1;
  const int = digits(s, 0, intEnd);
  if (int < 0) return -1;
  if (dot < 0) return int * 100;
  const frac = digits(s, dot + 1, n);
  return frac < 0 ? -1 : int * 100 + (n - dot - 1 === 1 ? frac * 10 : frac);
}

function rejectMoney(c: StepCounts, code: 'money_invalid' | 'money_negative' | 'money_out_of_range', message: string): Fail {
  c.money_rejected++;
  return new Fail(code, message);
}
