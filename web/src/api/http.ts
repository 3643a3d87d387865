import type { ErrorBody, Tokens } from '@telehall/contracts';
import type { TokenStore } from './tokens';

/** A failed API call, carrying the server's stable error `code`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** false for login/register/otp: no token is sent and a 401 is not a reason to refresh. */
  auth?: boolean;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
}

export interface ApiClient {
  request<T>(method: string, path: string, opts?: RequestOptions): Promise<T>;
  get<T>(path: string, opts?: Omit<RequestOptions, 'body'>): Promise<T>;
  post<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  put<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  patch<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  delete<T>(path: string, opts?: RequestOptions): Promise<T>;
  readonly tokens: TokenStore;
}

function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function toApiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
  const code = typeof body?.code === 'string' ? body.code : res.status >= 500 ? 'server_error' : `http_${res.status}`;
  const message = typeof body?.message === 'string' ? body.message : res.statusText;
  return new ApiError(res.status, code, message, body?.details, body?.requestId);
}

export interface ClientConfig {
  /** Sent as Accept-Language so server messages match the UI. */
  language?: () => string;
  /**
   * Runs the refresh exclusively across browser tabs (Web Locks). Without it two
   * tabs could spend the same refresh token, and reuse revokes the whole family.
   */
  lock?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * A JSON client for one kind of principal. On a 401 while a refresh token is
 * held it refreshes once — concurrent requests (and other tabs) share the same
 * refresh, because refresh tokens rotate and replaying a spent one revokes the
 * whole family — then retries. If the server rejects the refresh the tokens are
 * cleared, which sends the app back to its login page; a network failure or 5xx
 * during the refresh leaves them in place so a blip does not sign anyone out.
 */
export function createApiClient(tokens: TokenStore, config: ClientConfig = {}): ApiClient {
  let refreshing: Promise<boolean> | null = null;

  async function send(method: string, path: string, req: RequestOptions, accessToken?: string) {
    const headers: Record<string, string> = { ...req.headers, Accept: 'application/json', 'Accept-Language': config.language?.() ?? 'zh-CN' };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    try {
      return await fetch(buildUrl(path, req.query), {
        method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: req.signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', err instanceof Error ? err.message : String(err));
    }
  }

  /** true: fresh tokens are stored; false: the server refused, sign out. Throws on network trouble or 5xx. */
  async function doRefresh(spent: string): Promise<boolean> {
    tokens.sync();
    const latest = tokens.get();
    if (!latest) return false; // signed out meanwhile (e.g. in another tab)
    if (latest.refreshToken !== spent) return true; // another tab already rotated it
    const res = await send('POST', '/api/auth/refresh', { body: { refreshToken: spent } });
    if (res.status >= 500) throw await toApiError(res);
    if (!res.ok) return false;
    tokens.set((await res.json()) as Tokens);
    return true;
  }

  function refreshOnce(spent: string): Promise<boolean> {
    refreshing ??= (config.lock ? config.lock(() => doRefresh(spent)) : doRefresh(spent)).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function request<T>(method: string, path: string, req: RequestOptions = {}): Promise<T> {
    const useAuth = req.auth !== false;
    const before = useAuth ? tokens.get() : null;
    let res = await send(method, path, req, before?.accessToken);

    if (res.status === 401 && before) {
      const now = tokens.get();
      // Someone else may already have refreshed while this request was in flight.
      const ok = now && now.accessToken !== before.accessToken ? true : await refreshOnce(before.refreshToken);
      const fresh = tokens.get();
      if (!ok || !fresh) {
        tokens.set(null);
        throw await toApiError(res);
      }
      res = await send(method, path, req, fresh.accessToken);
      if (res.status === 401) {
        tokens.set(null);
      }
    }

    if (!res.ok) throw await toApiError(res);
    if (res.status === 204 || res.headers.get('content-length') === '0') return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    tokens,
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts) => request('POST', path, { ...opts, body }),
    put: (path, body, opts) => request('PUT', path, { ...opts, body }),
    patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
    delete: (path, opts) => request('DELETE', path, opts),
  };
}
