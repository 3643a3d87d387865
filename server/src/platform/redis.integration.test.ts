import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { call } from '../../test/factories.js';

const url = process.env.REDIS_URL;

// Needs Redis: CI runs it against the machine's (REDIS_URL=redis://127.0.0.1:6379).
describe('rate limits shared through Redis', { skip: url ? false : 'REDIS_URL is not set' }, () => {
  let a: TestContext;
  let b: TestContext;
  before(async () => {
    const r = new Redis(url!);
    const keys = await r.keys('telehall-rl:*');
    if (keys.length) await r.del(...keys);
    await r.quit();
    a = await createTestContext({ rateLimitScale: 1, env: { REDIS_URL: url! } });
    b = await createTestContext({ rateLimitScale: 1, env: { REDIS_URL: url! } });
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  it('two replicas count sign-in attempts from one address together', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const app = i % 2 ? b.app : a.app;
      statuses.push((await call(app, 'POST', '/api/auth/staff/login', { body: { username: `nobody${i}`, password: 'x' } })).status);
    }
    // 20 a minute per address: alone, each replica would have allowed 11 + 11.
    assert.equal(statuses.filter((s) => s === 429).length, 2);
  });
});
