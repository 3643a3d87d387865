/** Shared-memory protocol between KMeansPool and its workers. */

/** Int32 slots of the control buffer. */
export const Ctl = { Gen: 0, Done: 1, Cmd: 2, Err: 3 } as const;
/** Commands the workers understand. */
export const Cmd = { Bind: 1, Assign: 2, Inertia: 3, Exit: 4 } as const;

/** Buffers and row range a worker works on until the next bind. */
export interface BindMessage {
  n: number;
  d: number;
  k: number;
  start: number;
  end: number;
  /** Index of this worker's result slot (1 + k·d + k float64 each). */
  slot: number;
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
  results: SharedArrayBuffer;
}
