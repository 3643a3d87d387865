import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const LOCK_ID = 7_246_001; // advisory lock: one migrator at a time across replicas

interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => {
      const sql = await readFile(path.join(dir, f), 'utf8');
      return {
        version: Number(f.slice(0, 4)),
        name: f.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

/**
 * Apply pending forward-only migrations, each in its own transaction.
 * Refuses to run when an applied migration's file has changed.
 */
export async function migrate(pool: pg.Pool, log: (msg: string) => void = () => undefined): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      version integer CONSTRAINT schema_migration_pk PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Map(
      (await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migration')).rows.map(
        (r) => [r.version, r.checksum],
      ),
    );
    let count = 0;
    for (const m of await listMigrations()) {
      const done = applied.get(m.version);
      if (done !== undefined) {
        if (done !== m.checksum) throw new Error(`migration ${m.version}_${m.name} was changed after it was applied`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      log(`applied migration ${m.version}_${m.name}`);
      count++;
    }
    return count;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    client.release();
  }
}

/** True when every migration file is applied (used by /ready). */
export async function migrationsApplied(pool: pg.Pool): Promise<boolean> {
  const files = await listMigrations();
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM schema_migration WHERE version = ANY($1::int[])`,
    [files.map((f) => f.version)],
  );
  return rows[0]!.n === files.length;
}
