/**
 * The IBM Telco customer-churn sample as model input, encoded exactly like the
 * scikit-learn reference: customerID dropped, Churn = Yes → 1, TotalCharges
 * blank → 0 (11 new customers), four numeric columns, and every other column
 * one-hot with all categories kept (pandas.get_dummies order: numeric columns
 * first, then indicators column by column, categories sorted): 45 features.
 */
import { readFile } from 'node:fs/promises';
import { parseCsv } from './csv.js';
import { encodeRows, fitEncoder, type ColumnSpec, type Encoder, type Matrix } from './preprocess.js';

/** Columns used as numbers, in output order. */
export const TELCO_NUMERIC = ['SeniorCitizen', 'tenure', 'MonthlyCharges', 'TotalCharges'] as const;
/** Columns one-hot encoded, in output order (the CSV's order). */
export const TELCO_CATEGORICAL = [
  'gender', 'Partner', 'Dependents', 'PhoneService', 'MultipleLines', 'InternetService', 'OnlineSecurity',
  'OnlineBackup', 'DeviceProtection', 'TechSupport', 'StreamingTV', 'StreamingMovies', 'Contract',
  'PaperlessBilling', 'PaymentMethod',
] as const;

/** Column rules for the Telco file. */
export const TELCO_SPECS: readonly ColumnSpec[] = [
  ...TELCO_NUMERIC.map((name): ColumnSpec => ({ name, kind: 'numeric', missing: name === 'TotalCharges' ? { rule: 'default', value: 0 } : { rule: 'reject' } })),
  ...TELCO_CATEGORICAL.map((name): ColumnSpec => ({ name, kind: 'categorical', missing: { rule: 'reject' } })),
];

/** Encoded Telco rows with labels and the encoder that produced them. */
export interface TelcoData extends Matrix {
  /** 1 = churned. */
  y: Uint8Array;
  featureNames: string[];
  encoder: Encoder;
  customerIds: string[];
}

/** Encodes already-parsed Telco rows. Throws invalid_data on a missing required cell. */
export function encodeTelco(rows: readonly Record<string, string>[]): TelcoData {
  const encoder = fitEncoder(rows, TELCO_SPECS);
  const m = encodeRows(encoder, rows);
  const y = Uint8Array.from(rows, (r) => (r.Churn === 'Yes' ? 1 : 0));
  return { ...m, y, featureNames: encoder.featureNames, encoder, customerIds: rows.map((r) => r.customerID ?? '') };
}

/** Reads and encodes the Telco CSV at `path`. */
export async function loadTelco(path: string): Promise<TelcoData> {
  return encodeTelco(parseCsv(await readFile(path, 'utf8')));
}
