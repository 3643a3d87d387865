import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tokens } from '@telehall/contracts';
import { ApiError, createApiClient } from './http';
import type { TokenStore } from './tokens';

function memoryStore(initial: Tokens | null): TokenStore {
  let value = initial;
  return { get: () => value, set: (t) => void (value = t), subscribe: () => () => {}, sync: () => {} };
}

const tokens = (n: number): Tokens => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}-padded-to-twenty-chars`,
  tokenType: 'Bearer',
  expiresIn: 900,
  sessionId: '00000000-0000-4000-8000-000000000000',
});

const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fake server: one valid access token at a time; refresh tokens rotate on use. */
function fakeServer(opts: { refreshOk: boolean }) {
  let generation = 1;
  let validAccess: string | null = tokens(1).accessToken;
  let validRefresh = tokens(1).refreshToken;
  const calls = { refresh: 0, api: 0 };
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input as string;
    const headers = new Headers(init?.headers);
    if (url === '/api/auth/refresh') {
      calls.refresh++;
      await new Promise((r) => setTimeout(r, 20));
      const { refreshToken } = JSON.parse(init?.body as string) as { refreshToken: string };
      if (!opts.refreshOk || refreshToken !== validRefresh) return json(401, { code: 'unauthorized', message: 'no' });
      generation++;
      validAccess = tokens(generation).accessToken;
      validRefresh = tokens(generation).refreshToken;
      return json(200, tokens(generation));
    }
    calls.api++;
    if (!validAccess || headers.get('authorization') !== `Bearer ${validAccess}`) {
      return json(401, { code: 'token_expired', message: 'expired' });
    }
    return json(200, { ok: true, url });
  };
  return {
    calls,
    fetchImpl,
    expire: () => {
      validAccess = null;
    },
  };
}

void test('concurrent 401s share one refresh, then every request is retried with the new token', async (t) => {
  const server = fakeServer({ refreshOk: true });
  t.mock.method(globalThis, 'fetch', server.fetchImpl);
  server.expire();
  const store = memoryStore(tokens(1));
  const api = createApiClient(store);
  const results = await Promise.all([api.get('/api/a'), api.get('/api/b'), api.get('/api/c')]);
  assert.deepEqual(results, [
    { ok: true, url: '/api/a' },
    { ok: true, url: '/api/b' },
    { ok: true, url: '/api/c' },
  ]);
  assert.equal(server.calls.refresh, 1);
  assert.equal(store.get()?.accessToken, 'access-2');
});

void test('a failed refresh clears the tokens and surfaces the 401', async (t) => {
  const server = fakeServer({ refreshOk: false });
  t.mock.method(globalThis, 'fetch', server.fetchImpl);
  server.expire();
  const store = memoryStore(tokens(1));
  const api = createApiClient(store);
  await assert.rejects(api.get('/api/a'), (err: unknown) => err instanceof ApiError && err.status === 401 && err.code === 'token_expired');
  assert.equal(store.get(), null);
});

void test('login calls (auth: false) never send a token or refresh', async (t) => {
  const server = fakeServer({ refreshOk: true });
  t.mock.method(globalThis, 'fetch', server.fetchImpl);
  const store = memoryStore(tokens(1));
  const api = createApiClient(store);
  server.expire();
  await assert.rejects(api.post('/api/auth/login', { phone: 'x' }, { auth: false }), ApiError);
  assert.equal(server.calls.refresh, 0);
  assert.notEqual(store.get(), null);
});

void test('error bodies become ApiError with code, message and details; 204 is undefined', async (t) => {
  t.mock.method(globalThis, 'fetch', async (input: RequestInfo | URL) =>
    (input as string) === '/api/empty'
      ? new Response(null, { status: 204 })
      : json(429, { code: 'otp_too_soon', message: 'wait', details: { retryAfterSeconds: 42 } }),
  );
  const api = createApiClient(memoryStore(null));
  assert.equal(await api.post('/api/empty'), undefined);
  await assert.rejects(api.post('/api/auth/otp', {}), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'otp_too_soon');
    assert.deepEqual(err.details, { retryAfterSeconds: 42 });
    return true;
  });
});

void test('a refresh token already rotated by another tab is not spent again', async (t) => {
  const server = fakeServer({ refreshOk: true });
  t.mock.method(globalThis, 'fetch', server.fetchImpl);
  server.expire();
  const store = memoryStore(tokens(1));
  // Simulates the other tab: by the time the lock is ours, the shared storage holds generation 2.
  const otherTab = async () => {
    const res = await server.fetchImpl('/api/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: tokens(1).refreshToken }) });
    store.set((await res.json()) as Tokens);
  };
  const api = createApiClient(store, { lock: async (fn) => (await otherTab(), fn()) });
  assert.deepEqual(await api.get('/api/a'), { ok: true, url: '/api/a' });
  assert.equal(server.calls.refresh, 1, 'only the other tab refreshed');
  assert.equal(store.get()?.accessToken, 'access-2');
});

void test('a network failure during refresh keeps the tokens', async (t) => {
  const server = fakeServer({ refreshOk: true });
  server.expire();
  t.mock.method(globalThis, 'fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    if ((input as string) === '/api/auth/refresh') throw new TypeError('Failed to fetch');
    return server.fetchImpl(input, init);
  });
  const store = memoryStore(tokens(1));
  const api = createApiClient(store);
  await assert.rejects(api.get('/api/a'), (err: unknown) => err instanceof ApiError && err.code === 'network_error');
  assert.equal(store.get()?.accessToken, 'access-1');
});
