import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Read a secret from `dataDir/name`, generating it on first use. Only for the
 * embedded single-machine default; with DATABASE_URL secrets come from the
 * environment so replicas share them.
 */
export async function persistedSecret(dataDir: string, name: string, bytes = 48): Promise<string> {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(dataDir, { recursive: true });
  const value = randomBytes(bytes).toString('base64url');
  await writeFile(file, value + '\n', { mode: 0o600, flag: 'wx' });
  return value;
}
