// Build the web apps when web/dist is missing or older than their sources
// (web/src, contracts/src). Used by `npm start` and by `npm test` before the
// browser tests, so neither serves a stale build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

/** @param {string} root the repository root; exits the process when the build fails */
export function buildWebIfStale(root) {
  const dist = path.join(root, 'web/dist/index.html');
  const sources = [path.join(root, 'web/src'), path.join(root, 'contracts/src'), path.join(root, 'web/index.html')].filter(existsSync);
  const stamp = (p) => (statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs);
  if (existsSync(dist) && Math.max(...sources.map(stamp)) <= statSync(dist).mtimeMs) return;
  console.log('Building the web apps…');
  const r = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
