import path from 'node:path';
import pg from 'pg';
import type { Config } from './config.js';
import { startEmbeddedPg, type EmbeddedPg } from './embedded-pg.js';

export interface DatabaseHandle {
  url: string;
  embedded?: EmbeddedPg;
}

/**
 * The database Telehall runs on: `DATABASE_URL` when set, otherwise the
 * embedded PostgreSQL under `DATA_DIR/pg` with a `telehall` database.
 */
export async function openDatabase(config: Config, log: (m: string) => void): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const embedded = await startEmbeddedPg({ dir: path.join(config.dataDir, 'pg'), port: config.embeddedPgPort, log });
  const admin = new pg.Client({ connectionString: embedded.url('postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'telehall'`);
    if (!rowCount) await admin.query('CREATE DATABASE telehall');
  } finally {
    await admin.end();
  }
  return { url: embedded.url('telehall'), embedded };
}
