import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';

/** The subset of an rc-field-form rule (used by both antd and antd-mobile forms) we produce. */
export interface SchemaRule {
  validator: (rule: unknown, value: unknown) => Promise<void>;
}

/**
 * A form rule that checks a field with the same TypeBox schema the server
 * validates the request with. Empty values fail with `requiredMessage`
 * unless the field is optional.
 */
export function schemaRule(schema: TSchema, message: string, opts: { requiredMessage?: string } = {}): SchemaRule {
  return {
    validator: async (_rule, value) => {
      if (value === undefined || value === null || value === '') {
        if (opts.requiredMessage) throw new Error(opts.requiredMessage);
        return;
      }
      if (!Value.Check(schema, value)) throw new Error(message);
    },
  };
}

/** Whole-body check before sending; the per-field rules should already have caught problems. */
export function conforms(schema: TSchema, value: unknown): boolean {
  return Value.Check(schema, value);
}

/** Drops keys whose value is an empty string or undefined (optional form fields left blank). */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
