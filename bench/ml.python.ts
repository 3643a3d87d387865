/** Finding (or installing) Python with scikit-learn, and running the reference script. */
import { execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

const CANDIDATES = ['python3', '/usr/bin/python3'];

function hasSklearn(python: string): boolean {
  const r = spawnSync(python, ['-c', 'import sklearn, pandas, threadpoolctl'], { stdio: 'ignore' });
  return r.status === 0;
}

/**
 * A python executable that can import scikit-learn, pandas and threadpoolctl.
 * Tries Debian's packages (apt-get install -y python3-sklearn python3-pandas)
 * once if none can; returns null when that is not possible (or when
 * TELEHALL_BENCH_NO_SKLEARN is set). A pyenv shim may shadow the system
 * python, so /usr/bin/python3 is tried as well.
 */
export function findPython(log: (msg: string) => void): string | null {
  if (process.env.TELEHALL_BENCH_NO_SKLEARN) {
    log('TELEHALL_BENCH_NO_SKLEARN is set; skipping the scikit-learn comparison');
    return null;
  }
  const found = CANDIDATES.find(hasSklearn);
  if (found) return found;
  log('scikit-learn not importable; trying: apt-get install -y python3-sklearn python3-pandas');
  const r = spawnSync('apt-get', ['install', '-y', 'python3-sklearn', 'python3-pandas'], { stdio: 'ignore' });
  if (r.status !== 0) {
    log(`apt-get failed (${r.error?.message ?? `exit ${r.status}`}); skipping the scikit-learn comparison`);
    return null;
  }
  return CANDIDATES.find(hasSklearn) ?? null;
}

/** Runs bench/ml_sklearn.py with a config file and returns its parsed JSON output. */
export function runSklearn(python: string, script: string, configPath: string): unknown {
  const out = execFileSync(python, [script, configPath], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop() ?? 'null') as unknown;
}

/**
 * A long-lived python process that fits k-means on request, so the bench can
 * alternate our fits and scikit-learn's: on a shared machine the load drifts
 * within seconds, and back-to-back blocks would compare different conditions.
 */
export class SklearnKMeansServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;

  private constructor(python: string, script: string, configPath: string) {
    this.child = spawn(python, [script, configPath], { env: { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' } });
    this.child.stderr.pipe(process.stderr);
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  /** Starts the server and waits until it has loaded the data. */
  static async start(python: string, script: string, configPath: string): Promise<SklearnKMeansServer> {
    const s = new SklearnKMeansServer(python, script, configPath);
    await s.next();
    return s;
  }

  /** One timed scikit-learn fit. */
  async fit(): Promise<{ time_s: number; cpu_s: number; inertia: number; iterations: number }> {
    this.child.stdin.write('fit\n');
    return (await this.next()) as { time_s: number; cpu_s: number; inertia: number; iterations: number };
  }

  /** Ends the python process. */
  close(): void {
    this.child.stdin.end('quit\n');
  }

  private async next(): Promise<unknown> {
    const r = await this.lines.next();
    if (r.done) throw new Error('scikit-learn k-means server exited');
    return JSON.parse(r.value) as unknown;
  }
}
