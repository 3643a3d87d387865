import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headerKey, resolveMapping, suggestMapping } from './mapping.js';
import { TELCO_CHURN_MAPPING } from './mapping.presets.js';

describe('suggestMapping', () => {
  it('recognises Chinese and English headers', () => {
    const m = suggestMapping(['客户名称', '手机号码', '证件号码', '生日', '性别', 'E-mail', '地址', '客户类别', '渠道', '开户日期', '月费(元)', '标签', '备注'], 'call_centre');
    assert.deepEqual(m.columns, {
      客户名称: 'name',
      手机号码: 'phone',
      证件号码: 'idNumber',
      生日: 'birthDate',
      性别: 'gender',
      'E-mail': 'email',
      地址: 'address',
      客户类别: 'category',
      渠道: 'channel',
      开户日期: 'signupDate',
      '月费(元)': 'monthlyChargeFen',
      标签: 'tags',
      备注: 'extra',
    });
    assert.deepEqual(m.missing, { name: { rule: 'reject' }, phone: { rule: 'reject' } });
    const en = suggestMapping(['Name', 'Mobile', 'ID_Number', 'Birth Date', 'DOB', 'Signup Date', 'Monthly Charges', 'Tags', 'Tag'], 'online');
    assert.deepEqual(Object.values(en.columns), ['name', 'phone', 'idNumber', 'birthDate', 'extra', 'signupDate', 'monthlyChargeFen', 'tags', 'tags']);
  });
  it('is plain JSON that survives a round trip', () => {
    const m = suggestMapping(['姓名', '手机'], 'hall');
    assert.deepEqual(JSON.parse(JSON.stringify(m)), m);
  });
  it('normalises full-width and spaced headers', () => {
    assert.equal(headerKey('　Ｍｏｂｉｌｅ Phone '), 'mobilephone');
  });
});

describe('resolveMapping', () => {
  it('matches columns by header text, whatever their order', () => {
    const r = resolveMapping(suggestMapping(['姓名', '手机'], 'hall'), ['其他', '手机', '姓名']);
    assert.equal(r.fieldIndex.phone, 1);
    assert.equal(r.fieldIndex.name, 2);
    assert.deepEqual(r.extraIndexes, [0]);
  });
  it('maps the telco churn file by external id', () => {
    const header = 'customerID,gender,SeniorCitizen,Partner,MonthlyCharges,TotalCharges,Churn'.split(',');
    const r = resolveMapping(TELCO_CHURN_MAPPING, header);
    assert.deepEqual([r.fieldIndex.externalId, r.fieldIndex.gender, r.fieldIndex.monthlyChargeFen], [0, 1, 4]);
    assert.deepEqual(r.extraIndexes, [2, 3, 5, 6]);
  });
  it('refuses broken mappings with stable codes', () => {
    const base = suggestMapping(['姓名', '手机'], 'hall');
    assert.throws(() => resolveMapping({ ...base, columns: { 姓名: 'name' } }, ['姓名']), { code: 'import_mapping_no_natural_key' });
    assert.throws(() => resolveMapping({ ...base, columns: { 姓名: 'phone', 手机: 'phone' } }, ['姓名', '手机']), { code: 'import_mapping_duplicate_target' });
    assert.throws(() => resolveMapping({ ...base, missing: { name: { rule: 'median' } } }, ['姓名', '手机']), { code: 'import_mapping_median_unsupported' });
    assert.throws(() => resolveMapping({ ...base, columns: { 手机: 'mobile' as 'phone' } }, ['手机']), { code: 'import_mapping_invalid' });
  });
});
