import { invalid } from './errors.js';

/** Keyset cursors: opaque to clients, `(timestamp, id)` inside. */
export function encodeCursor(at: Date, id: string | number): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

/** @throws invalid_data `invalid_cursor` */
export function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const sep = raw.indexOf('|');
  const at = new Date(raw.slice(0, sep));
  const id = raw.slice(sep + 1);
  if (sep < 0 || Number.isNaN(at.getTime()) || !id) throw invalid('invalid_cursor', 'The cursor is not valid');
  return { at, id };
}
