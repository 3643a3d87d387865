import { invalid } from '../../platform/errors.js';
import { TARGET_FIELDS, type ColumnTarget, type ImportMapping, type MissingRule, type TargetField } from './imports.types.js';

/**
 * Header synonyms, Chinese and English, keyed by their normalised form
 * (see {@link headerKey}). Extend here when a channel exports a new name.
 */
const SYNONYMS: Record<TargetField, readonly string[]> = {
  name: ['name', 'fullname', 'customername', 'clientname', '姓名', '客户名称', '客户姓名', '名称', '用户名称', '联系人'],
  phone: ['phone', 'mobile', 'mobilephone', 'phonenumber', 'mobilenumber', 'cellphone', 'tel', 'telephone', 'msisdn', '手机', '手机号', '手机号码', '电话', '电话号码', '联系电话', '联系方式'],
  idNumber: ['idnumber', 'idno', 'idcard', 'idcardnumber', 'nationalid', '身份证', '身份证号', '身份证号码', '证件号', '证件号码'],
  birthDate: ['birthdate', 'dateofbirth', 'dob', 'birthday', '出生日期', '生日', '出生年月日'],
  gender: ['gender', 'sex', '性别'],
  email: ['email', 'emailaddress', 'mail', '邮箱', '电子邮箱', '电子邮件', '邮件'],
  address: ['address', 'addr', 'homeaddress', '地址', '联系地址', '住址', '家庭住址'],
  category: ['category', 'customercategory', 'customertype', 'type', '类别', '客户类别', '客户类型', '用户类别'],
  channel: ['channel', 'source', 'sourcechannel', '渠道', '来源', '来源渠道', '受理渠道'],
  signupDate: ['signupdate', 'signup', 'opendate', 'activationdate', 'joindate', '开户日期', '入网日期', '开户时间', '入网时间'],
  monthlyChargeFen: ['monthlycharge', 'monthlycharges', 'monthlyfee', 'monthlyrent', '月费', '月租', '月租费', '月消费'],
  tags: ['tags', 'tag', 'labels', 'label', '标签'],
  externalId: ['externalid', 'customerid', 'custid', 'clientid', 'accountid', '客户编号', '客户id', '客户号', '用户编号'],
};

const BY_KEY = new Map<string, TargetField>();
for (const f of TARGET_FIELDS) for (const s of SYNONYMS[f]) BY_KEY.set(s, f);

/**
 * The form headers are matched in: NFKC, lower-case, without spaces,
 * underscores, dashes, dots, slashes and brackets ('Monthly_Charges (元)'
 * → 'monthlycharges元' … and a trailing unit in brackets is dropped first).
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\((?:元|rmb|cny|yuan|¥)\)$/, '')
    .replace(/[\s_\-./()[\]:]+/g, '');
}

/**
 * A first mapping for a header row, to show in the mapping screen:
 * known synonyms map to their field, everything else to `extra`. The first
 * column claims a field; later columns with the same meaning become extras
 * (tags excepted: several tag columns merge). Name and phone, when present,
 * are required (`reject` when missing); nothing else is.
 */
export function suggestMapping(header: readonly string[], channel: string): ImportMapping {
  const columns: Record<string, ColumnTarget> = {};
  const taken = new Set<TargetField>();
  for (const h of header) {
    const f = BY_KEY.get(headerKey(h));
    if (f !== undefined && (f === 'tags' || !taken.has(f))) {
      columns[h] = f;
      taken.add(f);
    } else {
      columns[h] = 'extra';
    }
  }
  const missing: Partial<Record<TargetField, MissingRule>> = {};
  if (taken.has('name')) missing.name = { rule: 'reject' };
  if (taken.has('phone')) missing.phone = { rule: 'reject' };
  return { version: 1, channel, columns, missing, dateOrder: 'DMY' };
}

/** A mapping resolved against one file's header: column indexes per field. */
export interface ResolvedMapping {
  readonly mapping: ImportMapping;
  readonly header: readonly string[];
  /** Column index for each single-column field, or -1. */
  readonly fieldIndex: Readonly<Record<Exclude<TargetField, 'tags'>, number>>;
  readonly tagIndexes: readonly number[];
  readonly extraIndexes: readonly number[];
}

/**
 * Checks a (possibly user-edited, possibly stored) mapping against a header.
 *
 * Errors (AppError `invalid_data`): `import_mapping_invalid` (wrong version,
 * unknown target or missing rule), `import_mapping_duplicate_target` (two
 * columns for one field other than tags), `import_mapping_median_unsupported`
 * (`median` on a non-numeric field), `import_mapping_no_natural_key` (none
 * of phone, ID number, external id is mapped: rows could not be deduplicated
 * nor re-imported idempotently).
 */
export function resolveMapping(mapping: ImportMapping, header: readonly string[]): ResolvedMapping {
  if (mapping.version !== 1) throw invalid('import_mapping_invalid', `Unknown mapping version ${String(mapping.version)}`);
  const byKey = new Map<string, ColumnTarget>();
  for (const [h, t] of Object.entries(mapping.columns)) {
    if (t !== 'extra' && t !== 'ignore' && !(TARGET_FIELDS as readonly string[]).includes(t)) {
      throw invalid('import_mapping_invalid', `Column '${h}' maps to unknown field '${String(t)}'`);
    }
    byKey.set(headerKey(h), t);
  }
  const fieldIndex = Object.fromEntries(TARGET_FIELDS.filter((f) => f !== 'tags').map((f) => [f, -1])) as Record<
    Exclude<TargetField, 'tags'>,
    number
  >;
  const tagIndexes: number[] = [];
  const extraIndexes: number[] = [];
  header.forEach((h, i) => {
    const t = byKey.get(headerKey(h)) ?? 'extra';
    if (t === 'ignore') return;
    if (t === 'extra') extraIndexes.push(i);
    else if (t === 'tags') tagIndexes.push(i);
    else if (fieldIndex[t] !== -1) throw invalid('import_mapping_duplicate_target', `Columns '${header[fieldIndex[t]]}' and '${h}' both map to ${t}`);
    else fieldIndex[t] = i;
  });
  for (const [f, r] of Object.entries(mapping.missing) as [TargetField, MissingRule | undefined][]) {
    if (r === undefined) continue;
    if (!['null', 'default', 'median', 'reject'].includes(r.rule)) throw invalid('import_mapping_invalid', `Unknown missing-value rule for ${f}`);
    if (r.rule === 'median' && f !== 'monthlyChargeFen') {
      throw invalid('import_mapping_median_unsupported', `'median' only applies to monthlyChargeFen, not ${f}`);
    }
  }
  if (fieldIndex.phone === -1 && fieldIndex.idNumber === -1 && fieldIndex.externalId === -1) {
    throw invalid('import_mapping_no_natural_key', 'Map at least one of phone, ID number or external id');
  }
  return { mapping, header, fieldIndex, tagIndexes, extraIndexes };
}
