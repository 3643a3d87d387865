import { invalid } from '../../platform/errors.js';
import { parseDate, parseMoneyFen } from './dates-money.js';
import { InFileDedupe, matchExisting, originalCells } from './dedupe.js';
import { resolveMapping, type ResolvedMapping } from './mapping.js';
import {
  Fail,
  collapseSpaces,
  normaliseEmail,
  normalisePhone,
  normaliseText,
  parseCategory,
  parseGender,
  parseIdNumber,
  splitTags,
} from './normalise.js';
import {
  CLEAN_STEPS,
  newStepCounts,
  type CleanBatch,
  type CleanRecord,
  type ExistingLookup,
  type ImportMapping,
  type RawRow,
  type RowIssue,
  type StepCounts,
  type TargetField,
} from './imports.types.js';

/** What {@link createCleaner} needs. */
export interface CleanerOptions {
  readonly mapping: ImportMapping;
  readonly header: readonly string[];
  /** Medians from a first pass ({@link collectMedians}), required by `median` rules. */
  readonly medians?: { readonly monthlyChargeFen?: number | null };
  /** Duplicates against stored customers; omitted → no such check. */
  readonly existingByPhoneOrId?: ExistingLookup;
  /**
   * Rows the file probably has (e.g. its size / 100 bytes), to size the dedupe
   * tables once instead of doubling them (each doubling rehashes every key).
   */
  readonly expectedRows?: number;
}

/** Cleans a file's batches in order, keeping the in-file dedupe state. */
export interface Cleaner {
  readonly resolved: ResolvedMapping;
  /** Running per-step counters over every batch cleaned so far. */
  readonly steps: StepCounts;
  /** Cleans one batch; batches must come in file order. Rejects only if the lookup hook rejects. */
  cleanBatch(rows: readonly RawRow[]): Promise<CleanBatch>;
}

const MAX_LEN = { name: 100, address: 300, externalId: 100, channel: 50 } as const;

/**
 * A cleaner for one file. Per row: normalise text, parse every mapped
 * field, apply missing-value rules, then check in-file duplicates (phone,
 * ID number, external id: the later row is rejected as `duplicate_in_file`
 * and also returned in `duplicates` so a merge step can fill blanks) and
 * flag same name + birth date for review.
 *
 * Errors (AppError `invalid_data`): those of `resolveMapping`, and
 * `import_median_unknown` when a `median` rule has no median given.
 */
export function createCleaner(opts: CleanerOptions): Cleaner {
  const resolved = resolveMapping(opts.mapping, opts.header);
  for (const [f, r] of Object.entries(opts.mapping.missing)) {
    if (r?.rule === 'median' && typeof opts.medians?.monthlyChargeFen !== 'number') {
      throw invalid('import_median_unknown', `The ${f} median must be computed by a first pass before cleaning`);
    }
  }
  const cleaner = new RowCleaner(resolved, opts);
  cleaner.checkDefaults();
  return cleaner;
}

class RowCleaner implements Cleaner {
  readonly steps = newStepCounts();
  private issues: RowIssue[] = [];
  /** The current row's birth date column disagreed with its ID number. */
  private birthConflict = false;
  private readonly dedupe: InFileDedupe;
  private readonly fi: ResolvedMapping['fieldIndex'];
  private readonly header: readonly string[];

  constructor(
    readonly resolved: ResolvedMapping,
    private readonly opts: CleanerOptions,
  ) {
    this.fi = resolved.fieldIndex;
    this.header = resolved.header;
    this.dedupe = new InFileDedupe(resolved, this.steps, opts.expectedRows ?? 0);
  }

  /** Cleans an empty row once per field: a `default` value that itself fails would reject every row it fills. */
  checkDefaults(): void {
    const header = this.resolved.header;
    this.cleanRow({ row: 0, cells: header.map(() => '') });
    const bad = this.issues.filter((i) => i.code !== 'required_missing' && i.code !== 'no_natural_key');
    this.issues = [];
    for (const k of CLEAN_STEPS) this.steps[k] = 0;
    if (bad.length > 0) {
      throw invalid('import_mapping_default_invalid', `Default value rejected: ${bad.map((i) => `${i.column}: ${i.message}`).join('; ')}`, { issues: bad });
    }
  }

  async cleanBatch(rows: readonly RawRow[]): Promise<CleanBatch> {
    const out: CleanBatch = { records: [], rejected: [], duplicates: [], flagged: [] };
    for (const raw of rows) {
      this.birthConflict = false;
      const rec = this.cleanRow(raw);
      if (rec === null) {
        out.rejected.push({ row: raw.row, issues: this.issues, original: originalCells(this.header, raw) });
        this.issues = [];
      } else {
        this.dedupe.check(rec, this.birthConflict, out, raw);
      }
    }
    const lookup = this.opts.existingByPhoneOrId;
    if (lookup !== undefined && out.records.length > 0) await matchExisting(out, lookup, this.steps);
    return out;
  }

  private cleanRow(raw: RawRow): CleanRecord | null {
    const fi = this.fi;
    const c = this.steps;
    const order = this.opts.mapping.dateOrder;
    // Each parser is called at its own site (not through a shared callback) so V8 can inline it.
    // Fields are taken in a fixed order, which is the order of a rejected row's issues.
    const name = this.text(raw, fi.name, 'name');
    let v = this.cell(raw, fi.phone, 'phone');
    const phone = v === '' ? null : this.ok(normalisePhone(v, c), fi.phone, 'phone');
    v = this.cell(raw, fi.idNumber, 'idNumber');
    const id = v === '' ? null : this.ok(parseIdNumber(v, c), fi.idNumber, 'idNumber');
    v = this.cell(raw, fi.birthDate, 'birthDate');
    let birthDate = v === '' ? null : this.ok(parseDate(v, order, c), fi.birthDate, 'birthDate');
    v = this.cell(raw, fi.gender, 'gender');
    let gender = v === '' ? null : this.ok(parseGender(v, c), fi.gender, 'gender');
    if (id !== null) {
      if (birthDate === null) {
        birthDate = id.birthDate;
        c.birth_date_from_id++;
      } else if (birthDate !== id.birthDate) {
        this.birthConflict = true;
        birthDate = id.birthDate;
      }
      if (gender === null) {
        gender = id.gender;
        c.gender_from_id++;
      }
    }
    v = this.cell(raw, fi.email, 'email');
    const email = v === '' ? null : this.ok(normaliseEmail(v, c), fi.email, 'email');
    const address = this.text(raw, fi.address, 'address');
    v = this.cell(raw, fi.category, 'category');
    const category = v === '' ? null : this.ok(parseCategory(v, c), fi.category, 'category');
    const channel = this.text(raw, fi.channel, 'channel') ?? this.opts.mapping.channel;
    v = this.cell(raw, fi.signupDate, 'signupDate');
    const signupDate = v === '' ? null : this.ok(parseDate(v, order, c), fi.signupDate, 'signupDate');
    v = this.cell(raw, fi.monthlyChargeFen, 'monthlyChargeFen');
    const monthlyChargeFen = v === '' ? this.median() : this.ok(parseMoneyFen(v, c), fi.monthlyChargeFen, 'monthlyChargeFen');
    const record: CleanRecord = {
      row: raw.row,
      name,
      phone,
      idNumber: id === null ? null : id.idNumber,
      birthDate,
      gender,
      email,
      address,
      category,
      channel,
      signupDate,
      monthlyChargeFen,
      tags: this.tags(raw),
      externalId: this.text(raw, fi.externalId, 'externalId'),
      extras: this.extras(raw),
      existing: null,
    };
    if (this.issues.length > 0) return null;
    if (record.phone === null && record.idNumber === null && record.externalId === null) {
      this.issues.push({ column: '', code: 'no_natural_key', message: 'The row has no phone, ID number or external id' });
      return null;
    }
    return record;
  }

  /** The cell's normalised text, or the missing-value rule's raw text ('' = leave empty). */
  private cell(raw: RawRow, idx: number, field: TargetField): string {
    const v = idx < 0 ? '' : normaliseText(raw.cells[idx] ?? '', this.steps);
    if (v !== '') return v;
    const rule = this.opts.mapping.missing[field];
    if (rule === undefined || rule.rule === 'null' || rule.rule === 'median') return '';
    if (rule.rule === 'default') {
      this.steps.missing_default++;
      return normaliseText(rule.value, this.steps);
    }
    this.steps.missing_rejected++;
    this.issues.push({ column: this.columnName(idx, field), code: 'required_missing', message: `${field} is required` });
    return '';
  }

  private text(raw: RawRow, idx: number, field: keyof typeof MAX_LEN): string | null {
    let v = this.cell(raw, idx, field);
    if (v === '') return null;
    if (field === 'name' || field === 'address') v = collapseSpaces(v, this.steps);
    if (v.length <= MAX_LEN[field]) return v;
    this.issues.push({ column: this.columnName(idx, field), code: 'text_too_long', message: `${field} is longer than ${MAX_LEN[field]} characters` });
    return null;
  }

  /** The parsed value, or null after recording the failure against the column. */
  private ok<T>(r: T | Fail, idx: number, field: TargetField): T | null {
    if (!(r instanceof Fail)) return r;
    this.issues.push({ column: this.columnName(idx, field), code: r.code, message: r.message });
    return null;
  }

  private median(): number | null {
    if (this.opts.mapping.missing.monthlyChargeFen?.rule !== 'median') return null;
    this.steps.missing_median++;
    return this.opts.medians?.monthlyChargeFen ?? null;
  }

  private tags(raw: RawRow): string[] {
    const tags: string[] = [];
    for (const i of this.resolved.tagIndexes) {
      const v = normaliseText(raw.cells[i] ?? '', this.steps);
      if (v !== '') splitTags(v, tags);
    }
    if (tags.length === 0) {
      const d = this.cell(raw, this.resolved.tagIndexes[0] ?? -1, 'tags');
      if (d !== '') splitTags(d, tags);
    }
    return tags;
  }

  private extras(raw: RawRow): Record<string, string> {
    const extras: Record<string, string> = {};
    for (const i of this.resolved.extraIndexes) {
      const v = normaliseText(raw.cells[i] ?? '', this.steps);
      if (v !== '') extras[this.header[i]!] = v;
    }
    return extras;
  }

  private columnName(idx: number, field: TargetField): string {
    return idx >= 0 ? this.header[idx]! : field;
  }
}
