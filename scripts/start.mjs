// `npm start`: build the web apps when they are missing or older than their
// sources, then run the server (TypeScript through tsx).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildWebIfStale } from './web-build.mjs';

const root = path.resolve(import.meta.dirname, '..');
buildWebIfStale(root);
const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], { stdio: 'inherit' });
process.exit(r.status ?? 0);
