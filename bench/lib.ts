/** Shared benchmark helpers: percentiles, a throwaway embedded PostgreSQL, figures output. */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPg, type EmbeddedPg } from '../server/src/platform/embedded-pg.js';
import { freePort } from '../server/test/net.js';

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export { freePort } from '../server/test/net.js';

/** A fresh embedded PostgreSQL with the product's own (durable) settings, deleted afterwards. */
export async function benchDatabase(): Promise<{ pg: EmbeddedPg; dir: string; dispose(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'telehall-bench-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as the postgres user when we are root
  const pg = await startEmbeddedPg({ dir: path.join(dir, 'pg'), port: await freePort(), persistent: false });
  return { pg, dir, async dispose() { await pg.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

export function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : def;
}

/** The last line a benchmark prints: one JSON object of its figures. */
export function printFigures(figures: Record<string, number | boolean | string | null>): void {
  console.log(JSON.stringify(figures));
}

const TICK_MS = 10; // Linux USER_HZ is 100

/** CPU time of one process from /proc (ms): its own, and that of its children it has waited for. */
export function procCpuMs(pid: number | 'self'): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
  return { own: (Number(f[11]) + Number(f[12])) * TICK_MS, children: (Number(f[13]) + Number(f[14])) * TICK_MS };
}

/**
 * All CPU the PostgreSQL cluster in `dataDir` has used so far (ms): the
 * postmaster, its live processes (backends, WAL writer, checkpointer, …) and
 * the ones that already exited. Differences of two readings are load-independent.
 */
export function postgresCpuMs(dataDir: string): number {
  const pm = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const self = procCpuMs(pm);
  let live = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pm) live += procCpuMs(Number(name)).own;
    } catch {
      // exited while we looked: its time is in the postmaster's children now
    }
  }
  return self.own + self.children + live;
}
