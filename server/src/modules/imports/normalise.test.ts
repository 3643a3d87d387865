import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newStepCounts } from './imports.types.js';
import {
  Fail,
  collapseSpaces,
  idCheckChar,
  isoDate,
  normaliseEmail,
  normalisePhone,
  normaliseText,
  parseCategory,
  parseGender,
  parseIdNumber,
  splitTags,
} from './normalise.js';

const code = (v: unknown) => (v instanceof Fail ? v.code : 'ok');

describe('normaliseText', () => {
  it('turns full-width digits, letters and spaces into ASCII and trims', () => {
    const c = newStepCounts();
    assert.equal(normaliseText('　１３８ＡＢＣ　', c), '138ABC');
    assert.equal(c.fullwidth_normalised, 1);
    assert.equal(c.text_trimmed, 1);
    assert.equal(normaliseText('plain', c), 'plain');
    assert.equal(c.fullwidth_normalised, 1);
  });
  it('collapses whitespace and drops spaces between Chinese characters', () => {
    const c = newStepCounts();
    assert.equal(collapseSpaces('林 小 美', c), '林小美');
    assert.equal(collapseSpaces('Li   Lei', c), 'Li Lei');
    assert.equal(collapseSpaces('广州市\n天河区 5号', c), '广州市天河区 5号');
  });
});

describe('normalisePhone', () => {
  const ok: [string, string][] = [
    ['13800138000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['0086-138-0013-8000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['(138) 0013-8000', '13800138000'],
    ['+86(199)00138000', '19900138000'],
  ];
  for (const [input, want] of ok) it(`accepts ${input}`, () => assert.equal(normalisePhone(input, newStepCounts()), want));
  for (const bad of ['12345', '12800138000', '1380013800', '138001380001', '010-88888888', '+1 138 0013 8000', 'abc'])
    it(`rejects ${bad}`, () => assert.equal(code(normalisePhone(bad, newStepCounts())), 'phone_invalid'));
  it('counts normalised and rejected numbers', () => {
    const c = newStepCounts();
    normalisePhone('13800138000', c);
    normalisePhone('+8613800138000', c);
    normalisePhone('x', c);
    assert.deepEqual([c.phone_normalised, c.phone_rejected], [1, 1]);
  });
});

describe('parseIdNumber (GB 11643)', () => {
  it('computes the check character', () => {
    assert.equal(idCheckChar('11010519491231002'), 'X');
    assert.equal(idCheckChar('44052418800101001'), '4');
  });
  it('accepts a valid number and derives birth date and gender', () => {
    assert.deepEqual(parseIdNumber('11010519491231002x', newStepCounts()), {
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'female',
    });
    assert.deepEqual(parseIdNumber('110105199003071239', newStepCounts()), {
      idNumber: '110105199003071239',
      birthDate: '1990-03-07',
      gender: 'male',
    });
  });
  it('upgrades a 15-digit legacy number', () => {
    const c = newStepCounts();
    const r = parseIdNumber('510107880808442', c);
    assert.ok(!(r instanceof Fail));
    assert.equal(r.idNumber, '510107198808084427');
    assert.equal(r.birthDate, '1988-08-08');
    assert.equal(c.id_number_upgraded, 1);
  });
  it('rejects a bad checksum, shape or birth date with distinct codes', () => {
    assert.equal(code(parseIdNumber('110105199003071238', newStepCounts())), 'id_number_checksum');
    assert.equal(code(parseIdNumber('11010519900307123', newStepCounts())), 'id_number_invalid');
    assert.equal(code(parseIdNumber('1101051990030712AB', newStepCounts())), 'id_number_invalid');
    const first17 = '11010519900230123';
    assert.equal(code(parseIdNumber(first17 + idCheckChar(first17), newStepCounts())), 'id_number_birth_date');
  });
});

describe('isoDate', () => {
  it('knows leap years', () => {
    assert.equal(isoDate(2024, 2, 29), '2024-02-29');
    assert.equal(isoDate(2023, 2, 29), null);
    assert.equal(isoDate(1900, 2, 29), null);
    assert.equal(isoDate(2000, 2, 29), '2000-02-29');
    assert.equal(isoDate(2024, 4, 31), null);
  });
});

describe('emails, genders, categories, tags', () => {
  it('lower-cases and validates emails', () => {
    const c = newStepCounts();
    assert.equal(normaliseEmail('Li.Lei+x@Example.COM', c), 'li.lei+x@example.com');
    for (const bad of ['a@', '@b.cn', 'a b@c.cn', 'a@b', 'a@-b.cn']) assert.equal(code(normaliseEmail(bad, c)), 'email_invalid');
    assert.deepEqual([c.email_lowercased, c.email_rejected], [1, 5]);
  });
  it('maps genders and categories in Chinese and English', () => {
    const c = newStepCounts();
    assert.equal(parseGender('男', c), 'male');
    assert.equal(parseGender('Female', c), 'female');
    assert.equal(parseGender('未知', c), null);
    assert.equal(code(parseGender('X', c)), 'gender_invalid');
    assert.equal(parseCategory('学生', c), 'student');
    assert.equal(parseCategory('企业用户', c), 'enterprise');
    assert.equal(parseCategory('普通用户', c), 'regular');
    assert.equal(parseCategory('其他', c), 'other');
    assert.equal(parseCategory('Enterprise', c), 'enterprise');
    assert.equal(code(parseCategory('VIP', c)), 'category_invalid');
  });
  it('splits tags on any separator and drops repeats', () => {
    const tags: string[] = [];
    splitTags('5G, 宽带;VIP|5G、家庭', tags);
    assert.deepEqual(tags, ['5G', '宽带', 'VIP', '家庭']);
  });
});
