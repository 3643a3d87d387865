import { DigitIndex, PairIndex } from './key-index.js';
import type { ResolvedMapping } from './mapping.js';
import type { CleanBatch, CleanRecord, DuplicateRow, ExistingLookup, RawRow, StepCounts } from './imports.types.js';

/**
 * In-file duplicate detection over a whole file, in row order. Phones and ID
 * numbers are kept in compact exact tables (see `KeyIndex`), external ids in
 * a Map, same name + birth date in a hashed table (a collision only adds a
 * review flag).
 */
export class InFileDedupe {
  private readonly byPhone: DigitIndex;
  private readonly byId: DigitIndex;
  private readonly byExternal = new Map<string, number>();
  private readonly byNameBirth: PairIndex;

  private readonly header: readonly string[];

  constructor(
    resolved: ResolvedMapping,
    private readonly steps: StepCounts,
    expectedRows: number,
  ) {
    this.header = resolved.header;
    const slots = 2 * Math.min(Math.max(expectedRows, 1 << 15), 1 << 25);
    this.byPhone = new DigitIndex(resolved.fieldIndex.phone >= 0 ? slots : 16);
    this.byId = new DigitIndex(resolved.fieldIndex.idNumber >= 0 ? slots : 16);
    this.byNameBirth = new PairIndex(slots);
  }

  /**
   * One probe per key: a new phone is recorded before the ID number is
   * checked; if the row then turns out a duplicate by ID number or external
   * id, the phone (and ID) entries are re-pointed at the earlier row, so a
   * third row with that phone is reported against the row that was kept.
   */
  check(rec: CleanRecord, birthConflict: boolean, out: CleanBatch, raw: RawRow): void {
    const { row, phone, idNumber, externalId } = rec;
    let key: DuplicateRow['key'] = 'phone';
    let ofRow = phone === null ? -1 : this.byPhone.firstOrAdd(phone, 11, row);
    if (ofRow === -1 && idNumber !== null) {
      key = 'idNumber';
      ofRow = this.byId.firstOrAdd(idNumber, 17, row);
      if (ofRow !== -1 && phone !== null) this.byPhone.setLastRow(ofRow);
    }
    if (ofRow === -1 && externalId !== null) {
      key = 'externalId';
      ofRow = this.byExternal.get(externalId) ?? -1;
      if (ofRow === -1) this.byExternal.set(externalId, row);
      else {
        if (phone !== null) this.byPhone.setLastRow(ofRow);
        if (idNumber !== null) this.byId.setLastRow(ofRow);
      }
    }
    if (ofRow !== -1) {
      this.steps.duplicate_in_file++;
      out.duplicates.push({ row, ofRow, key, record: rec });
      const what = key === 'idNumber' ? 'ID number' : key === 'externalId' ? 'external id' : 'phone';
      out.rejected.push({
        row,
        issues: [{ column: '', code: 'duplicate_in_file', message: `Same ${what} as row ${ofRow}` }],
        original: originalCells(this.header, raw),
      });
      return;
    }
    if (birthConflict) {
      this.steps.flagged_for_review++;
      out.flagged.push({ row, reason: 'birth_date_differs_from_id_number', ofRow: null });
    }
    if (rec.name !== null && rec.birthDate !== null) {
      const first = this.byNameBirth.firstOrAdd(rec.name, rec.birthDate, row);
      if (first !== -1) {
        this.steps.flagged_for_review++;
        out.flagged.push({ row, reason: 'same_name_and_birth_date', ofRow: first });
      }
    }
    out.records.push(rec);
  }
}

/** Marks the batch's records that the caller's lookup knows, by phone first, then ID number. */
export async function matchExisting(out: CleanBatch, lookup: ExistingLookup, steps: StepCounts): Promise<void> {
  const phones: string[] = [];
  const idNumbers: string[] = [];
  for (const r of out.records) {
    if (r.phone !== null) phones.push(r.phone);
    if (r.idNumber !== null) idNumbers.push(r.idNumber);
  }
  const found = await lookup({ phones, idNumbers });
  if (found.size === 0) return;
  for (const r of out.records) {
    const byPhone = r.phone === null ? undefined : found.get(r.phone);
    const hit = byPhone ?? (r.idNumber === null ? undefined : found.get(r.idNumber));
    if (hit === undefined) continue;
    r.existing = { customerId: hit.customerId, matchedBy: byPhone !== undefined ? 'phone' : 'idNumber' };
    steps.duplicate_existing++;
  }
}

/** A raw row as header → cell, for the rejected-rows report. */
export function originalCells(header: readonly string[], raw: RawRow): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) o[header[i]!] = raw.cells[i] ?? '';
  return o;
}
