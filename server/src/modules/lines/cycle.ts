/**
 * Billing cycles are calendar months in China Standard Time (UTC+8, no
 * daylight saving), as mainland operators bill.
 */
const OFFSET_MS = 8 * 3600_000;

/** The cycle containing `at`: [start, end). */
export function cycleOf(at: Date): { start: Date; end: Date } {
  const local = new Date(at.getTime() + OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  return { start: new Date(Date.UTC(y, m, 1) - OFFSET_MS), end: new Date(Date.UTC(y, m + 1, 1) - OFFSET_MS) };
}

/** The cycle after the one starting at `start`. */
export function nextCycle(start: Date): { start: Date; end: Date } {
  return cycleOf(new Date(cycleOf(start).end.getTime()));
}

/** `months` calendar months after `at` (contract ends). */
export function addMonths(at: Date, months: number): Date {
  const local = new Date(at.getTime() + OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + months, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes()) - OFFSET_MS);
}

/** "2026-11" for the cycle containing `at`. */
export function cycleLabel(at: Date): string {
  const local = new Date(at.getTime() + OFFSET_MS);
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}
