import type { TFunction } from 'i18next';
import i18n from '../i18n';
import { ApiError } from '../api/client';
import { formatDateTime } from '../lib/dates';

function detail(details: unknown, key: string): unknown {
  return details && typeof details === 'object' ? (details as Record<string, unknown>)[key] : undefined;
}

/**
 * The message to show for a failed call: the localized text for the server's
 * stable `code` (i18n key `errors.<code>`), else the server's own message.
 */
export function errorMessage(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    const key = `errors.${err.code}`;
    if (i18n.exists(key)) {
      const lockedUntil = detail(err.details, 'lockedUntil');
      const retryAfterSeconds = detail(err.details, 'retryAfterSeconds');
      return t(key as 'errors.unknown', {
        lockedUntil: typeof lockedUntil === 'string' ? formatDateTime(lockedUntil, i18n.language) : '',
        retryAfterSeconds: typeof retryAfterSeconds === 'number' ? retryAfterSeconds : '',
      });
    }
    if (err.message) return err.message;
  }
  return t('errors.unknown');
}

export function isForbidden(err: unknown): boolean {
  return err instanceof ApiError && err.status === 403;
}
