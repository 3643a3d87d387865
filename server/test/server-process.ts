import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

const MAIN = path.resolve(import.meta.dirname, '../src/main.ts');

/**
 * The real server as its own process on a test database (for crash tests:
 * kill it with SIGKILL mid-work, start another on the same database).
 * Resolves once /ready answers.
 */
export async function startServerProcess(dbUrl: string, port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: dbUrl, PORT: String(port), TELEHALL_SEED: 'none', TELEHALL_JWT_SECRET: randomBytes(32).toString('base64'), TELEHALL_SANDBOX_PAY_SECRET: randomBytes(32).toString('base64'), TELEHALL_ADMIN_PASSWORD: 'crash-test-admin', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}
