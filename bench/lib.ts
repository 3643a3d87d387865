/** Shared benchmark helpers: percentiles, a throwaway embedded PostgreSQL, figures output. */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
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
