import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has working defaults for the embedded single-machine setup', () => {
    const c = loadConfig({}, '/srv/telehall');
    assert.equal(c.port, 3000);
    assert.equal(c.dataDir, '/srv/telehall/data');
    assert.equal(c.seed, 'demo');
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.jwtSecret, undefined, 'no default secret: generated into DATA_DIR at boot');
    assert.ok(Object.isFrozen(c));
  });

  it('lists every bad value at once, by name', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', TELEHALL_SEED: 'lots', DATABASE_URL: 'mysql://x', TELEHALL_ADMIN_PASSWORD: 'short' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 4);
        assert.match(err.message, /PORT="eighty"/);
        assert.match(err.message, /TELEHALL_SEED/);
        assert.match(err.message, /DATABASE_URL/);
        assert.match(err.message, /TELEHALL_ADMIN_PASSWORD/);
        return true;
      },
    );
  });

  it('requires a signing key with an external database', () => {
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db' }), /TELEHALL_JWT_SECRET is required/);
    assert.throws(() => loadConfig({ TELEHALL_JWT_SECRET: 'too-short' }), /at least 32/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db', TELEHALL_JWT_SECRET: 'x'.repeat(40) }), /TELEHALL_SANDBOX_PAY_SECRET is required/);
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h/db', TELEHALL_JWT_SECRET: 'x'.repeat(40), TELEHALL_SANDBOX_PAY_SECRET: 'y'.repeat(40) });
    assert.equal(c.databaseUrl, 'postgres://u@h/db');
  });
});
