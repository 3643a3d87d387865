/**
 * Worker side of KMeansPool. It never returns to its event loop: it sleeps on
 * Atomics.wait and receives new bindings synchronously with
 * receiveMessageOnPort, which keeps a round trip to a few microseconds.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { assignPass, inertiaPass, type KMeansArrays } from './kmeans.kernel.js';
import { Cmd, Ctl, type BindMessage } from './kmeans.protocol.js';

const { ctrl: ctrlBuf, port } = workerData as { ctrl: SharedArrayBuffer; port: MessagePort };
const ctrl = new Int32Array(ctrlBuf);
let gen = 0;
interface Bound {
  d: number;
  k: number;
  start: number;
  end: number;
  arrays: KMeansArrays;
  params: Float64Array;
  slot: Float64Array;
}
let bound: Bound | null = null;
parentPort?.postMessage('ready');

for (;;) {
  Atomics.wait(ctrl, Ctl.Gen, gen);
  gen = Atomics.load(ctrl, Ctl.Gen);
  const cmd = Atomics.load(ctrl, Ctl.Cmd);
  if (cmd === Cmd.Exit) break;
  try {
    execute(cmd);
  } catch (err) {
    console.error(err);
    Atomics.store(ctrl, Ctl.Err, 1);
  }
  Atomics.add(ctrl, Ctl.Done, 1);
  Atomics.notify(ctrl, Ctl.Done);
}

function execute(cmd: number): void {
  if (cmd === Cmd.Bind) {
    const msg = receiveMessageOnPort(port)?.message as BindMessage;
    const f64 = (b: SharedArrayBuffer): Float64Array => new Float64Array(b);
    const arrays: KMeansArrays = {
      x: f64(msg.x), centres: f64(msg.centres), half: f64(msg.half), cc: f64(msg.cc), move: f64(msg.move),
      labels: new Int32Array(msg.labels), upper: f64(msg.upper), lower: f64(msg.lower),
    };
    const slotLen = 1 + msg.k * msg.d + msg.k;
    const slot = new Float64Array(msg.results, msg.slot * slotLen * 8, slotLen);
    bound = { d: msg.d, k: msg.k, start: msg.start, end: msg.end, arrays, params: f64(msg.params), slot };
  } else if (bound && cmd === Cmd.Assign) {
    const { d, k, start, end, slot, params } = bound;
    slot.fill(0);
    const mv = { maxMove: params[0]!, secondMove: params[1]!, farthest: params[2]! };
    slot[0] = assignPass(bound.arrays, d, k, start, end, mv, slot.subarray(1, 1 + k * d), slot.subarray(1 + k * d));
  } else if (bound && cmd === Cmd.Inertia) {
    bound.slot[0] = inertiaPass(bound.arrays.x, bound.arrays.centres, bound.arrays.labels, bound.d, bound.start, bound.end);
  }
}
