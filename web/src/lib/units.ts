/**
 * Allowance and usage quantities for people: data in bytes shown as GB/MB
 * (1024 base, one decimal), voice in seconds shown as minutes, SMS as a count.
 * Integer inputs only, like the server sends them.
 */
export type Kind = 'data' | 'voice' | 'sms';

export const MB = 1024 ** 2;
export const GB = 1024 ** 3;

/** One decimal, trailing ".0" kept so figures line up (e.g. "1.0 GB"). */
function oneDecimal(value: number, per: number): string {
  // Round half up in tenths without going through a long float expression.
  const tenths = Math.round((value * 10) / per);
  return `${Math.trunc(tenths / 10)}.${Math.abs(tenths % 10)}`;
}

/** 1 GB and above in GB, below that in MB: 1610612736 → "1.5 GB", 524288000 → "500.0 MB". */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= GB) return `${oneDecimal(bytes, GB)} GB`;
  if (abs >= MB || abs === 0) return `${oneDecimal(bytes, MB)} MB`;
  return `${Math.max(1, Math.round(abs / 1024)) * Math.sign(bytes)} KB`;
}

/**
 * Whole minutes. `round: 'down'` for what remains (you have at least that many
 * full minutes left), `'up'` for what was used (a started minute counts).
 */
export function secondsToMinutes(seconds: number, round: 'down' | 'up'): number {
  return round === 'down' ? Math.floor(seconds / 60) : Math.ceil(seconds / 60);
}

/** The amount part and unit key of a quantity, for i18n: `units.minutes`, `units.sms`, or the data text as-is. */
export function quantityParts(kind: Kind, quantity: number, round: 'down' | 'up' = 'down'): { value: string; unit: 'minutes' | 'sms' | null } {
  if (kind === 'data') return { value: formatBytes(quantity), unit: null };
  if (kind === 'voice') return { value: String(secondsToMinutes(quantity, round)), unit: 'minutes' };
  return { value: String(quantity), unit: 'sms' };
}

/** Whole days from `now` until `iso`, at least 0 (the reset day itself counts as 0). */
export function daysUntil(iso: string, now: Date = new Date()): number {
  const ms = new Date(iso).getTime() - now.getTime();
  return Math.max(0, Math.ceil(ms / 86_400_000));
}

/**
 * "12.5" / "-3" / "0.05" yuan → integer fen, parsed as a decimal string so no
 * floating point touches money. At most two decimals; null when malformed.
 */
export function parseYuanToFen(input: string): number | null {
  const m = /^\s*([+-])?(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!m) return null;
  const [, sign, whole, frac = ''] = m;
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return sign === '-' ? -fen : fen;
}

/** Integer fen → the yuan string an input shows, e.g. 1250 → "12.50" (no ¥, no grouping). */
export function fenToYuanInput(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  return `${neg ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A fresh Idempotency-Key for one purchase/adjustment attempt. */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Insecure contexts (plain http on a LAN address) lack randomUUID; getRandomValues is still there.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
