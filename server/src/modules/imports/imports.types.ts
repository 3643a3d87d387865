/**
 * Types shared by the customer-import pipeline: raw rows from a reader,
 * the column mapping a channel saves, and what cleaning hands the DB stage.
 *
 * Row numbering convention everywhere: the spreadsheet row a person sees.
 * The header is row 1, the first data row is row 2. In a CSV a record with
 * embedded newlines is still one row; blank lines (and lines of bare
 * commas) are skipped but counted, so the number matches what Excel shows
 * when it opens the same file.
 */

/** One data row as read from the file: cells are strings, in header order. */
export interface RawRow {
  readonly row: number;
  readonly cells: readonly string[];
}

/** A streaming table: the header, then data rows in batches. */
export interface TableReader {
  readonly format: 'csv' | 'xlsx';
  /** Text encoding that was detected or forced ('xlsx' for workbooks). */
  readonly encoding: 'utf-8' | 'gbk' | 'xlsx';
  readonly header: readonly string[];
  readonly batches: AsyncIterable<RawRow[]>;
}

/** The typed customer fields a column can be mapped to. */
export const TARGET_FIELDS = [
  'name',
  'phone',
  'idNumber',
  'birthDate',
  'gender',
  'email',
  'address',
  'category',
  'channel',
  'signupDate',
  'monthlyChargeFen',
  'tags',
  'externalId',
] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];

/** Where a column goes: a typed field, the extras object, or nowhere. */
export type ColumnTarget = TargetField | 'extra' | 'ignore';

/**
 * What to do when a field is empty after trimming:
 * - `null`: leave it empty (the default for every field);
 * - `default`: use `value` (parsed like a cell of that column);
 * - `median`: the median of the column, computed by a first pass
 *   (only for `monthlyChargeFen`; see `collectMedians`);
 * - `reject`: reject the row with `required_missing`.
 */
export type MissingRule =
  | { readonly rule: 'null' }
  | { readonly rule: 'default'; readonly value: string }
  | { readonly rule: 'median' }
  | { readonly rule: 'reject' };

/**
 * A channel's saved column mapping. Plain JSON: store it as-is per channel.
 * Columns are matched by header text after NFKC + trim + lower-case, so a
 * saved mapping survives column reordering.
 */
export interface ImportMapping {
  readonly version: 1;
  /** Channel written on every record unless a `channel` column gives one. */
  readonly channel: string;
  /** Header text → target. Headers not listed go to `extras`. */
  readonly columns: Readonly<Record<string, ColumnTarget>>;
  readonly missing: Readonly<Partial<Record<TargetField, MissingRule>>>;
  /** How to read an ambiguous `05/03/2024`: day first (default) or month first. */
  readonly dateOrder: 'DMY' | 'MDY';
}

export type Gender = 'male' | 'female';
export type Category = 'student' | 'enterprise' | 'regular' | 'other';

/** A cleaned, typed customer record ready for the DB stage. */
export interface CleanRecord {
  readonly row: number;
  name: string | null;
  /** 11-digit mainland mobile number, matching `customer_phone_ck`. */
  phone: string | null;
  /** 18-character resident ID (15-digit legacy numbers are upgraded). */
  idNumber: string | null;
  /** ISO date `YYYY-MM-DD`. */
  birthDate: string | null;
  gender: Gender | null;
  email: string | null;
  address: string | null;
  category: Category | null;
  channel: string;
  signupDate: string | null;
  monthlyChargeFen: number | null;
  tags: string[];
  /** The channel's own id for the customer (e.g. the telco `customerID`). */
  externalId: string | null;
  /** Unmapped columns, header → trimmed text. */
  extras: Record<string, string>;
  /** Set by the existing-customer hook when the record matches one. */
  existing: ExistingMatch | null;
}

/** Stable reason codes for a rejected cell or row. */
export type RejectCode =
  | 'required_missing'
  | 'text_too_long'
  | 'phone_invalid'
  | 'id_number_invalid'
  | 'id_number_checksum'
  | 'id_number_birth_date'
  | 'date_unparseable'
  | 'date_invalid'
  | 'money_invalid'
  | 'money_negative'
  | 'money_out_of_range'
  | 'email_invalid'
  | 'gender_invalid'
  | 'category_invalid'
  | 'no_natural_key'
  | 'duplicate_in_file';

/** One problem in one row. A rejected row can carry several. */
export interface RowIssue {
  /** Header text of the column, or '' for a row-level problem. */
  readonly column: string;
  readonly code: RejectCode;
  readonly message: string;
}

/** A row that did not become a record, with every problem found in it. */
export interface RejectedRow {
  readonly row: number;
  readonly issues: readonly RowIssue[];
  /** The raw cells, header → value, for the rejected-rows report. */
  readonly original: Readonly<Record<string, string>>;
}

/** A later row with the same phone / ID number / external id as an earlier row. */
export interface DuplicateRow {
  readonly row: number;
  readonly ofRow: number;
  readonly key: 'phone' | 'idNumber' | 'externalId';
  /** The cleaned later row, so a merge step can fill the earlier record's blanks. */
  readonly record: CleanRecord;
}

export type ReviewReason = 'same_name_and_birth_date' | 'birth_date_differs_from_id_number';

/** A clean record that a person should look at; it is still imported. */
export interface FlaggedRow {
  readonly row: number;
  readonly reason: ReviewReason;
  /** The earlier row it resembles, for `same_name_and_birth_date`. */
  readonly ofRow: number | null;
}

/** What the caller's lookup returns for a phone or ID number it knows. */
export interface ExistingCustomer {
  readonly customerId: string;
}
/** Set on a record whose phone (checked first) or ID number the lookup knew. */
export interface ExistingMatch {
  readonly customerId: string;
  readonly matchedBy: 'phone' | 'idNumber';
}

/**
 * The caller's hook for duplicates against customers already stored: given
 * the batch's phones and ID numbers, return those it knows, keyed by the
 * phone or ID number itself.
 */
export type ExistingLookup = (batch: {
  readonly phones: readonly string[];
  readonly idNumbers: readonly string[];
}) => Promise<ReadonlyMap<string, ExistingCustomer>>;

/** The result of cleaning one batch. */
export interface CleanBatch {
  readonly records: CleanRecord[];
  readonly rejected: RejectedRow[];
  readonly duplicates: DuplicateRow[];
  readonly flagged: FlaggedRow[];
}

/**
 * Cleaning steps, each counted once per cell (or row) it acted on:
 * `text_trimmed` counts trims and whitespace collapses that changed a cell
 * (a name can count for both); `*_rejected` count cells that failed; the
 * `missing_*` steps count cells filled or rejected by a missing-value rule;
 * `duplicate_*` and `flagged_for_review` count rows.
 */
export const CLEAN_STEPS = [
  'text_trimmed',
  'fullwidth_normalised',
  'phone_normalised',
  'phone_rejected',
  'id_number_upgraded',
  'id_number_rejected',
  'birth_date_from_id',
  'gender_from_id',
  'date_parsed',
  'date_ambiguous_resolved',
  'date_excel_serial',
  'date_rejected',
  'money_parsed',
  'money_rounded',
  'money_rejected',
  'email_lowercased',
  'email_rejected',
  'type_rejected',
  'missing_default',
  'missing_median',
  'missing_rejected',
  'duplicate_in_file',
  'duplicate_existing',
  'flagged_for_review',
] as const;
export type CleanStep = (typeof CLEAN_STEPS)[number];
export type StepCounts = Record<CleanStep, number>;

/** A fresh set of zeroed step counters. */
export function newStepCounts(): StepCounts {
  const c = {} as StepCounts;
  for (const s of CLEAN_STEPS) c[s] = 0;
  return c;
}
