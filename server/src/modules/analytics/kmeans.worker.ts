/**
 * Worker side of KMeansPool. It never returns to its event loop: it sleeps on
 * Atomics.wait and receives new bindings synchronously with
 * receiveMessageOnPort, which keeps a round trip to a few microseconds.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { Cmd, Ctl, workChunks, type BindMessage, type ChunkJob } from './kmeans.protocol.js';

const { ctrl: ctrlBuf, port } = workerData as { ctrl: SharedArrayBuffer; port: MessagePort };
const ctrl = new Int32Array(ctrlBuf);
let gen = 0;
let job: ChunkJob | null = null;
parentPort?.postMessage('ready');

for (;;) {
  Atomics.wait(ctrl, Ctl.Gen, gen);
  gen = Atomics.load(ctrl, Ctl.Gen);
  const cmd = Atomics.load(ctrl, Ctl.Cmd);
  if (cmd === Cmd.Exit) break;
  try {
    if (cmd === Cmd.Bind) job = bind(receiveMessageOnPort(port)?.message as BindMessage);
    else if (job) workChunks(ctrl, job, cmd);
  } catch (err) {
    console.error(err);
    Atomics.store(ctrl, Ctl.Err, 1);
  }
  Atomics.add(ctrl, Ctl.Done, 1);
  Atomics.notify(ctrl, Ctl.Done);
}

function bind(msg: BindMessage): ChunkJob {
  const f64 = (b: SharedArrayBuffer): Float64Array => new Float64Array(b);
  return {
    n: msg.n, d: msg.d, k: msg.k, chunk: msg.chunk, params: f64(msg.params), results: f64(msg.results),
    arrays: {
      x: f64(msg.x), centres: f64(msg.centres), half: f64(msg.half), cc: f64(msg.cc), move: f64(msg.move),
      labels: new Int32Array(msg.labels), upper: f64(msg.upper), lower: f64(msg.lower),
    },
  };
}
