import { randomBytes, randomInt } from 'node:crypto';

/**
 * UUIDv7: time-ordered, so primary-key inserts stay at the right edge of the
 * B-tree, and ids sort by creation time.
 */
export function uuidv7(at: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(at, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface Ids {
  uuid(): string;
  /** A numeric code of `digits` digits, uniformly random, zero-padded. */
  digits(digits: number): string;
  /** A URL-safe random token with `bytes` of entropy. */
  token(bytes?: number): string;
}

export const cryptoIds: Ids = {
  uuid: () => uuidv7(),
  digits: (n) => String(randomInt(0, 10 ** n)).padStart(n, '0'),
  token: (bytes = 32) => randomBytes(bytes).toString('base64url'),
};

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
