/**
 * Multi-threaded k-means: the main thread and (threads − 1) workers run the
 * Hamerly assignment pass on chunks of rows held in SharedArrayBuffers (see
 * kmeans.protocol.ts); the main thread merges the per-chunk cluster sums and
 * moves the centres.
 *
 * The worker is a TypeScript file. Verified in this repo on Node 20.20 with
 * tsx 4: `new Worker(new URL('./kmeans.worker.ts', import.meta.url),
 * { execArgv: ['--import', 'tsx'] })` does NOT work — the worker fails with
 * ERR_UNKNOWN_FILE_EXTENSION because the entry is resolved before tsx's hooks
 * are active in the new thread. What works: an `eval` bootstrap that calls
 * `register()` from 'tsx/esm/api' and then imports the .ts entry. When the
 * code runs as compiled JavaScript, the .js entry is imported directly.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { Cmd, CTL_BYTES, Ctl, slotLength, workChunks, type BindMessage, type ChunkJob } from './kmeans.protocol.js';
import { absoluteTolerance, iterate, kmeansPlusPlus, LloydRun, validate, type KMeansOptions, type KMeansResult } from './kmeans.js';
import { createRng } from './rng.js';

const sharedAlloc = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

/** A set of k-means worker threads that can run many fits. */
export class KMeansPool {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(CTL_BYTES));

  private constructor(private readonly workers: Worker[], private readonly ports: MessageChannel['port1'][]) {}

  /** Starts `threads − 1` workers (the calling thread is the last one). */
  static async create(threads = 2): Promise<KMeansPool> {
    const pool = new KMeansPool([], []);
    const started: Promise<void>[] = [];
    for (let w = 0; w < threads - 1; w++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(workerBootstrap(), {
        eval: true,
        workerData: { ctrl: pool.ctrl.buffer, port: port2 },
        transferList: [port2],
      });
      worker.unref();
      started.push(new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`k-means worker exited with code ${code} before it was ready`)));
      }));
      pool.workers.push(worker);
      pool.ports.push(port1);
    }
    await Promise.all(started);
    return pool;
  }

  /** Number of threads a fit uses, the caller's included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Same contract as `kmeans`, computed on all pool threads. `x` should be
   * backed by a SharedArrayBuffer; otherwise it is copied into one. Each
   * Lloyd run is synchronous, so concurrent fits on one pool only interleave
   * between restarts, which is safe. Throws if a worker fails.
   */
  async fit(x: Float64Array, n: number, d: number, opts: KMeansOptions): Promise<KMeansResult> {
    validate(x, n, d, opts.k);
    const sx = x.buffer instanceof SharedArrayBuffer ? x : copyShared(x);
    const tolAbs = absoluteTolerance(sx, n, d, opts.tol ?? 1e-4);
    const maxIter = opts.maxIter ?? 300;
    if (opts.init) return this.lloyd(sx, n, d, opts.init, maxIter, tolAbs);
    const rng = createRng(opts.seed ?? 0);
    let best: KMeansResult | null = null;
    for (let r = 0; r < (opts.nInit ?? 1); r++) {
      const res = await this.lloyd(sx, n, d, kmeansPlusPlus(sx, n, d, opts.k, rng), maxIter, tolAbs);
      if (!best || res.inertia < best.inertia) best = res;
    }
    return best!;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.signal(Cmd.Exit);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async lloyd(x: Float64Array, n: number, d: number, init: Float64Array, maxIter: number, tolAbs: number): Promise<KMeansResult> {
    const k = init.length / d;
    const run = new LloydRun(x, n, d, k, init, sharedAlloc);
    const len = slotLength(d, k);
    // ~8 chunks per thread: small enough to rebalance, large enough to keep claims rare.
    const chunk = Math.max(4096, Math.ceil(n / (8 * this.threads)));
    const nChunks = Math.ceil(n / chunk);
    const a = run.arrays;
    const job: ChunkJob = { n, d, k, chunk, arrays: a, params: new Float64Array(new SharedArrayBuffer(24)), results: new Float64Array(new SharedArrayBuffer(nChunks * len * 8)) };
    const buf = (v: Float64Array | Int32Array): SharedArrayBuffer => v.buffer as SharedArrayBuffer;
    const msg: BindMessage = {
      n, d, k, chunk, x: buf(x), centres: buf(a.centres), half: buf(a.half), cc: buf(a.cc), move: buf(a.move),
      labels: buf(a.labels), upper: buf(a.upper), lower: buf(a.lower), params: buf(job.params), results: buf(job.results),
    };
    for (const port of this.ports) port.postMessage(msg);
    this.run(Cmd.Bind, () => undefined);
    const pass = (): number => {
      job.params[0] = run.mv.maxMove;
      job.params[1] = run.mv.secondMove;
      job.params[2] = run.mv.farthest;
      this.run(Cmd.Assign, () => workChunks(this.ctrl, job, Cmd.Assign));
      let changed = 0;
      for (let c = 0; c < nChunks; c++) {
        const s = job.results.subarray(c * len, (c + 1) * len);
        changed += s[0]!;
        run.absorb(s.subarray(1, 1 + k * d), s.subarray(1 + k * d));
      }
      return changed;
    };
    const { iterations, converged } = iterate(run, pass, maxIter, tolAbs);
    this.run(Cmd.Inertia, () => workChunks(this.ctrl, job, Cmd.Inertia));
    let inertia = 0;
    for (let c = 0; c < nChunks; c++) inertia += job.results[c * len]!;
    // Copy out of shared memory so callers get ordinary, transferable arrays.
    return { centroids: a.centres.slice(), labels: a.labels.slice(), inertia, iterations, converged };
  }

  private signal(cmd: number): void {
    Atomics.store(this.ctrl, Ctl.Err, 0);
    Atomics.store(this.ctrl, Ctl.Done, 0);
    Atomics.store(this.ctrl, Ctl.Next, 0);
    Atomics.store(this.ctrl, Ctl.Cmd, cmd);
    Atomics.add(this.ctrl, Ctl.Gen, 1);
    Atomics.notify(this.ctrl, Ctl.Gen);
  }

  /**
   * Runs `cmd` on every worker while `own` runs here, then waits. The wait
   * blocks, but only for the gap between equal slices, typically microseconds.
   */
  private run(cmd: number, own: () => void): void {
    this.signal(cmd);
    own();
    const W = this.workers.length;
    for (let done = Atomics.load(this.ctrl, Ctl.Done); done < W; done = Atomics.load(this.ctrl, Ctl.Done)) {
      Atomics.wait(this.ctrl, Ctl.Done, done, 1000);
    }
    if (Atomics.load(this.ctrl, Ctl.Err) !== 0) throw new Error('k-means worker failed; see its stderr');
  }
}

function workerBootstrap(): string {
  const self = import.meta.url;
  const entry = new URL(self.endsWith('.ts') ? './kmeans.worker.ts' : './kmeans.worker.js', self).href;
  if (!self.endsWith('.ts')) return `import(${JSON.stringify(entry)});`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

function copyShared(x: Float64Array): Float64Array {
  const s = new Float64Array(new SharedArrayBuffer(x.length * 8));
  s.set(x);
  return s;
}

/** One-shot multi-threaded k-means: starts a pool, fits, stops the pool. */
export async function kmeansParallel(x: Float64Array, n: number, d: number, opts: KMeansOptions, threads = 2): Promise<KMeansResult> {
  const pool = await KMeansPool.create(threads);
  try {
    return await pool.fit(x, n, d, opts);
  } finally {
    await pool.close();
  }
}
