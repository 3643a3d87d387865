/**
 * One error type for everything a client can cause. `type` picks the HTTP
 * status; `code` is the stable machine-readable reason clients branch on.
 */
export type ErrorType =
  | 'invalid_data'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'insufficient_funds'
  | 'locked'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unavailable';

export const statusOf: Record<ErrorType, number> = {
  invalid_data: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  insufficient_funds: 422,
  locked: 423,
  rate_limited: 429,
  unavailable: 503,
};

export class AppError extends Error {
  readonly type: ErrorType;
  readonly code: string;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(
    type: ErrorType,
    code: string,
    message: string,
    opts: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.type = type;
    this.code = code;
    this.details = opts.details;
    this.headers = opts.headers;
  }

  get status(): number {
    return statusOf[this.type];
  }
}

export const invalid = (code: string, message: string, details?: unknown) =>
  new AppError('invalid_data', code, message, { details });
export const notFound = (what: string) => new AppError('not_found', `${what}_not_found`, `${what.replace(/_/g, ' ')} not found`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError('conflict', code, message, { details });
export const forbidden = (code = 'forbidden', message = 'You do not have permission to do this') =>
  new AppError('forbidden', code, message);
export const unauthorized = (code = 'unauthorized', message = 'Authentication required') =>
  new AppError('unauthorized', code, message);
export const rateLimited = (code: string, message: string, retryAfterS: number) =>
  new AppError('rate_limited', code, message, {
    details: { retryAfterSeconds: retryAfterS },
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterS))) },
  });
