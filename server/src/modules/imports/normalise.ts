import type { Category, Gender, RejectCode, StepCounts } from './imports.types.js';

/**
 * Cell normalisers. Each returns the clean value or a `Fail` (never throws),
 * and counts what it changed in the `StepCounts` it is given. Success returns
 * the bare value so the hot path allocates nothing beyond the value itself.
 */
export class Fail {
  constructor(
    readonly code: RejectCode,
    readonly message: string,
  ) {}
}

/**
 * Characters NFKC can change: Latin-1 compatibility (NBSP, ², ½), combining
 * marks, general punctuation and letter-like/number forms (Ⅷ, ①), Kangxi
 * radicals, CJK symbols and enclosed/compatibility forms (U+3000 space, ㈱,
 * ㎡), CJK compatibility ideographs, small and half/full-width forms.
 * Ordinary Chinese text (U+4E00–U+9FFF) is left alone by NFKC, so a cell of
 * plain hanzi skips the costly normalize() call.
 */
// eslint-disable-next-line no-misleading-character-class -- the combining-mark range is deliberate: NFKC composes them
const NFKC_CANDIDATE = /[\u00a0-\u00ff\u0300-\u036f\u2000-\u2bff\u2e80-\u33ff\uf900-\ufaff\ufe00-\ufe6f\uff00-\uffef]/;
const INNER_SPACE = /\s{2,}|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g;

/**
 * NFKC (full-width digits, letters, spaces and punctuation become ASCII) and
 * trim. NFKC runs only when the cell has a character it can change (see
 * `NFKC_CANDIDATE`): it is the costliest step of cleaning.
 */
export function normaliseText(raw: string, c: StepCounts): string {
  let s = raw;
  if (NFKC_CANDIDATE.test(s)) {
    const n = s.normalize('NFKC');
    if (n !== s) {
      c.fullwidth_normalised++;
      s = n;
    }
  }
  const t = s.trim();
  if (t.length !== s.length) c.text_trimmed++;
  return t;
}

/**
 * For names and addresses: runs of whitespace become one space, and spaces
 * between two Chinese characters are dropped ('张 三' → '张三').
 */
export function collapseSpaces(s: string, c: StepCounts): string {
  if (!/\s/.test(s)) return s;
  const t = s.replace(INNER_SPACE, (m, off: number) => (s.charCodeAt(off - 1) > 0x33ff && s.charCodeAt(off + m.length) > 0x33ff ? '' : ' '));
  if (t !== s) c.text_trimmed++;
  return t;
}

const MOBILE = /^1[3-9]\d{9}$/;
const PHONE_SEPARATORS = /[\s\-().]/g;

/**
 * Mainland mobile numbers: 11 digits starting 13–19 (the `customer` table's
 * check). Accepts +86 / 0086 / 86 prefixes, spaces, dashes, dots and
 * parentheses ('+86 (138) 0013-8000'). Landlines are rejected: a customer
 * record's phone is the SMS login.
 */
export function normalisePhone(s: string, c: StepCounts): string | Fail {
  if (s.length === 11 && MOBILE.test(s)) return s;
  let d = s.replace(PHONE_SEPARATORS, '');
  if (d.startsWith('+86')) d = d.slice(3);
  else if (d.startsWith('0086')) d = d.slice(4);
  else if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  if (MOBILE.test(d)) {
    c.phone_normalised++;
    return d;
  }
  c.phone_rejected++;
  return new Fail('phone_invalid', `'${s}' is not an 11-digit mainland mobile number`);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
const ID18 = /^\d{17}[\dX]$/;
const ID15 = /^\d{15}$/;

/** The GB 11643 check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** A parsed resident ID number with what it encodes. */
export interface IdNumberInfo {
  readonly idNumber: string;
  readonly birthDate: string;
  readonly gender: Gender;
}

/**
 * Resident ID numbers (GB 11643-1999): 17 digits + check character, with the
 * birth date at 7–14 and the sex in digit 17 (odd = male). A 15-digit legacy
 * number is upgraded (19 inserted before the 2-digit year, check added).
 * Failures: `id_number_invalid` (shape), `id_number_birth_date` (no such
 * date), `id_number_checksum`.
 */
export function parseIdNumber(s: string, c: StepCounts): IdNumberInfo | Fail {
  let id = s.length === 18 && s.charCodeAt(17) === 120 ? s.slice(0, 17) + 'X' : s;
  if (!ID18.test(id)) {
    if (!ID15.test(id)) {
      c.id_number_rejected++;
      return new Fail('id_number_invalid', `'${s}' is not an 18-character (or 15-digit) ID number`);
    }
    const first17 = id.slice(0, 6) + '19' + id.slice(6);
    id = first17 + idCheckChar(first17);
    c.id_number_upgraded++;
  } else if (idCheckChar(id) !== id[17]) {
    c.id_number_rejected++;
    return new Fail('id_number_checksum', `ID number '${s}' fails its check character`);
  }
  const birth = isoDate(+id.slice(6, 10), +id.slice(10, 12), +id.slice(12, 14));
  if (birth === null || id.slice(6, 10) < '1900') {
    c.id_number_rejected++;
    return new Fail('id_number_birth_date', `ID number '${s}' has no valid birth date`);
  }
  return { idNumber: id, birthDate: birth, gender: (id.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female' };
}

/** `YYYY-MM-DD` for a real calendar date in 1900–2199, else null. */
export function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  if (d > days) return null;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

const EMAIL = /^[a-z0-9._%+'-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** Lower-cased and checked against a pragmatic address shape. */
export function normaliseEmail(s: string, c: StepCounts): string | Fail {
  const e = s.toLowerCase();
  if (e !== s) c.email_lowercased++;
  if (e.length <= 254 && EMAIL.test(e)) return e;
  c.email_rejected++;
  return new Fail('email_invalid', `'${s}' is not an email address`);
}

const GENDERS = new Map<string, Gender | null>(
  Object.entries({
    男: 'male', m: 'male', male: 'male', 先生: 'male',
    女: 'female', f: 'female', female: 'female', 女士: 'female',
    未知: null, unknown: null, 其他: null, other: null, u: null,
  } as const),
);

/** Exact match first: most cells are already in canonical case, and lower-casing allocates. */
function lookup<T>(m: ReadonlyMap<string, T>, s: string): T | undefined {
  const v = m.get(s);
  return v !== undefined || m.has(s) ? v : m.get(s.toLowerCase());
}

/** 男/女, M/F, male/female (any case); 未知/unknown/other mean "not given". */
export function parseGender(s: string, c: StepCounts): Gender | null | Fail {
  const g = lookup(GENDERS, s);
  if (g !== undefined) return g;
  c.type_rejected++;
  return new Fail('gender_invalid', `'${s}' is not a gender (男/女, M/F, male/female)`);
}

const CATEGORIES = new Map<string, Category>(
  Object.entries({
    学生: 'student', 学生用户: 'student', student: 'student',
    企业用户: 'enterprise', 企业: 'enterprise', 政企: 'enterprise', enterprise: 'enterprise', business: 'enterprise',
    普通用户: 'regular', 普通: 'regular', 个人: 'regular', 个人用户: 'regular', regular: 'regular', personal: 'regular',
    其他: 'other', 其它: 'other', other: 'other',
  } as const),
);

/** 学生/企业用户/普通用户/其他 (and English names) → the category code. */
export function parseCategory(s: string, c: StepCounts): Category | Fail {
  const v = lookup(CATEGORIES, s);
  if (v !== undefined) return v;
  c.type_rejected++;
  return new Fail('category_invalid', `'${s}' is not a customer category (学生/企业用户/普通用户/其他)`);
}

const TAG_SPLIT = /[,;|、\s]+/;

/** Tags split on , ; | 、 or spaces (full-width forms are already ASCII after NFKC). */
export function splitTags(s: string, into: string[]): void {
  for (const t of s.split(TAG_SPLIT)) if (t !== '' && !into.includes(t)) into.push(t);
}
