/**
 * Shared-memory protocol between KMeansPool and its workers. Rows are cut
 * into fixed chunks that threads claim from an atomic counter, so a thread
 * the OS deschedules (common on a shared 2-core box) does not hold up the
 * others; each chunk writes its own result slot, and the main thread sums the
 * slots in chunk order, so the result does not depend on who took which chunk.
 */
import { assignPass, inertiaPass, type KMeansArrays } from './kmeans.kernel.js';

/** Int32 slots of the control buffer. */
export const Ctl = { Gen: 0, Done: 1, Cmd: 2, Err: 3, Next: 4 } as const;
/** Bytes of the control buffer. */
export const CTL_BYTES = 32;
/** Commands the workers understand. */
export const Cmd = { Bind: 1, Assign: 2, Inertia: 3, Exit: 4 } as const;

/** Buffers a worker works on until the next bind. */
export interface BindMessage {
  n: number;
  d: number;
  k: number;
  chunk: number;
  x: SharedArrayBuffer;
  centres: SharedArrayBuffer;
  half: SharedArrayBuffer;
  cc: SharedArrayBuffer;
  move: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  upper: SharedArrayBuffer;
  lower: SharedArrayBuffer;
  /** [maxMove, secondMove, farthest] for the next pass. */
  params: SharedArrayBuffer;
  /** One slot of 1 + k·d + k float64 per chunk: [changed or inertia, sums, counts]. */
  results: SharedArrayBuffer;
}

/** What a thread needs to process chunks. */
export interface ChunkJob {
  n: number;
  d: number;
  k: number;
  chunk: number;
  arrays: KMeansArrays;
  params: Float64Array;
  results: Float64Array;
}

/** Slot length per chunk in the results buffer. */
export const slotLength = (d: number, k: number): number => 1 + k * d + k;

/** Claims and processes chunks until none is left. */
export function workChunks(ctrl: Int32Array, job: ChunkJob, cmd: number): void {
  const { n, d, k, chunk, arrays, params, results } = job;
  const len = slotLength(d, k);
  const nChunks = Math.ceil(n / chunk);
  const mv = { maxMove: params[0]!, secondMove: params[1]!, farthest: params[2]! };
  for (let c = Atomics.add(ctrl, Ctl.Next, 1); c < nChunks; c = Atomics.add(ctrl, Ctl.Next, 1)) {
    const slot = results.subarray(c * len, (c + 1) * len);
    const start = c * chunk;
    const end = Math.min(n, start + chunk);
    if (cmd === Cmd.Assign) {
      slot.fill(0);
      slot[0] = assignPass(arrays, d, k, start, end, mv, slot.subarray(1, 1 + k * d), slot.subarray(1 + k * d));
    } else {
      slot[0] = inertiaPass(arrays.x, arrays.centres, arrays.labels, d, start, end);
    }
  }
}
