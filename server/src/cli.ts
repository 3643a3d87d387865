import { Command } from 'commander';
import { loadConfig } from './platform/config.js';
import { openDatabase } from './platform/database.js';
import { createDb, createPool, type Db } from './platform/db.js';
import { migrate } from './platform/migrate.js';
import { hashPassword } from './modules/identity/password.js';

/** Open the configured database (embedded or DATABASE_URL), migrated, for one command. */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle = await openDatabase(config, () => undefined);
  const pool = createPool(handle.url, 4);
  try {
    await migrate(pool, (m) => console.log(m));
    return await fn(createDb(pool));
  } finally {
    await pool.end();
    await handle.embedded?.stop();
  }
}

const program = new Command('telehall').description('Telehall operator platform: operations from the command line');

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(() => withDb(async () => console.log('migrations up to date')));

program
  .command('staff:password')
  .description('set a staff user’s password (e.g. a lost admin password); unlocks the account')
  .argument('<username>')
  .requiredOption('--password <password>', 'the new password (at least 10 characters)')
  .action((username: string, opts: { password: string }) =>
    withDb(async (db) => {
      if (opts.password.length < 10) throw new Error('the password must be at least 10 characters');
      const res = await db
        .updateTable('staff_user')
        .set({ password_hash: await hashPassword(opts.password), failed_login_count: 0, locked_until: null, updated_at: new Date() })
        .where('username', '=', username)
        .executeTakeFirst();
      if (res.numUpdatedRows === 0n) throw new Error(`no staff user named ${username}`);
      console.log(`password set for ${username}`);
    }),
  );

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
