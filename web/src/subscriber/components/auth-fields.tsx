import { Form } from 'antd-mobile';
import type { FormInstance } from 'antd-mobile/es/components/form';
import type { TFunction } from 'i18next';
import { OtpCode, Password, Phone, type OtpPurpose } from '@telehall/contracts';
import { schemaRule } from '../../lib/validate';
import { OtpButton } from './OtpButton';
import { TestInput } from './TestInput';
import { validPhone } from './phone-field';

type T = TFunction;

/*
 * The phone, SMS-code and new-password fields the sign-in, registration,
 * reset and change-password forms share: one set of rules (the contract's
 * schemas) and one look. Builders rather than components, so each stays a
 * direct Form.Item child of its form.
 */

export const phoneItem = (t: T, testId: string) => (
  <Form.Item name="phone" label={t('fields.phone')} rules={[schemaRule(Phone, t('validation.phone'), { requiredMessage: t('validation.phoneRequired') })]}>
    <TestInput testId={testId} type="tel" inputMode="numeric" maxLength={11} autoComplete="tel" placeholder={t('fields.phonePlaceholder')} clearable />
  </Form.Item>
);

export const otpItem = (t: T, testId: string, purpose: OtpPurpose, form: FormInstance) => (
  <Form.Item
    key="otp"
    name="otp"
    label={t('fields.otp')}
    rules={[schemaRule(OtpCode, t('validation.otp'), { requiredMessage: t('validation.otpRequired') })]}
    extra={<OtpButton purpose={purpose} getPhone={() => validPhone(form)} />}
  >
    <TestInput testId={testId} inputMode="numeric" maxLength={6} autoComplete="one-time-code" placeholder={t('fields.otpPlaceholder')} />
  </Form.Item>
);

export const newPasswordItem = (t: T, testId: string, name: 'password' | 'newPassword') => (
  <Form.Item
    name={name}
    label={t(name === 'password' ? 'fields.password' : 'fields.newPassword')}
    help={t('validation.passwordPolicy')}
    rules={[schemaRule(Password, t('validation.passwordPolicy'), { requiredMessage: t('validation.passwordRequired') })]}
  >
    <TestInput testId={testId} type="password" autoComplete="new-password" placeholder={t('fields.newPasswordPlaceholder')} />
  </Form.Item>
);
