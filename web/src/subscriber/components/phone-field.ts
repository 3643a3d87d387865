import type { FormInstance } from 'antd-mobile/es/components/form';

/** Validates just the phone field of a form and returns it, for the "get code" button. */
export async function validPhone(form: FormInstance): Promise<string | undefined> {
  try {
    const values = (await form.validateFields(['phone'])) as { phone?: string };
    return values.phone;
  } catch {
    return undefined;
  }
}
