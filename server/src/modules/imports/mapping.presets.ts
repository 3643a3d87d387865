import type { ImportMapping } from './imports.types.js';

/**
 * The IBM "Telco Customer Churn" sample as a channel. It has no name, phone
 * or ID number, so a row becomes a customer record like this:
 * - `customerID` → `externalId`, the natural key (`ext:telco_churn:<id>`):
 *   re-imports update the same customer, duplicates are caught in-file;
 * - `gender` → gender; `MonthlyCharges` (dollars with cents) → monthly
 *   charge in minor units, parsed exactly like yuan;
 * - every other column (SeniorCitizen, Partner, tenure, services, Contract,
 *   PaymentMethod, TotalCharges, Churn, …) is kept as text in `extras`,
 *   where analytics (churn prediction) reads it. `TotalCharges` stays text:
 *   it is blank for the 11 customers with tenure 0, which is not an error;
 * - category defaults to `regular`; the customer's `name` stays empty (the
 *   `customer.name` column defaults to ''), and without a phone the DB stage
 *   creates the customer without a subscriber login.
 */
export const TELCO_CHURN_MAPPING: ImportMapping = {
  version: 1,
  channel: 'telco_churn',
  columns: { customerID: 'externalId', gender: 'gender', MonthlyCharges: 'monthlyChargeFen' },
  missing: {
    externalId: { rule: 'reject' },
    monthlyChargeFen: { rule: 'reject' },
    category: { rule: 'default', value: 'regular' },
  },
  dateOrder: 'DMY',
};
