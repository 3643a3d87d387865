/**
 * The load side of bench:payments, run as its own process (forked by
 * bench/payments.ts) so the clients do not share the server's event loop:
 * each of the concurrent clients tops up its lines over keep-alive HTTP, then
 * plays the gateway's signed callback, until the deadline.
 */
import http from 'node:http';
import type { CallbackResult, PaymentCreated } from '@telehall/contracts';
import { hmacHex, SIGNATURE_HEADER } from '../server/src/modules/payments/gateway.js';

export interface LoadJob {
  base: string;
  secret: string;
  seconds: number;
  clients: { token: string; lines: string[] }[];
}

export interface LoadResult {
  done: number;
  fen: number;
  seconds: number;
  latencies: number[];
  /** CPU this process used while the clients ran (ms). */
  cpuMs: number;
  error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post<T>(base: string, path: string, headers: Record<string, string>, body: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`HTTP ${res.statusCode} ${path}: ${text}`));
        else resolve(JSON.parse(text) as T);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let done = 0;
  let fen = 0;
  const cpu = process.cpuUsage();
  const t = performance.now();
  const deadline = t + job.seconds * 1000;
  await Promise.all(job.clients.map(async (c, ci) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const lineId = c.lines[i % c.lines.length]!;
      const amount = 1000 + ((i * 7 + ci) % 20) * 500;
      const t1 = performance.now();
      const created = await post<PaymentCreated>(job.base, '/api/me/payments', { authorization: `Bearer ${c.token}`, 'idempotency-key': `bench-${ci}-${i}` },
        JSON.stringify({ lineId, amount, method: 'qr' }));
      const body = JSON.stringify({ paymentId: created.payment.id, providerRef: `bench-${ci}-${i}`, amount, currency: 'CNY', status: 'succeeded', sentAt: new Date().toISOString() });
      const cb = await post<CallbackResult>(job.base, '/api/payments/callback/sandbox', { [SIGNATURE_HEADER]: hmacHex(job.secret, body) }, body);
      if (cb.status !== 'captured') throw new Error(`not captured: ${JSON.stringify(cb)}`);
      latencies.push(performance.now() - t1);
      done++;
      fen += amount;
    }
  }));
  agent.destroy();
  const used = process.cpuUsage(cpu);
  return { done, fen, seconds: (performance.now() - t) / 1000, latencies, cpuMs: (used.user + used.system) / 1000 };
}

// Forked: take one job from the parent, send back the result.
if (process.send) {
  process.once('message', (job: LoadJob) => {
    runLoad(job).then(
      (r) => process.send!(r, () => process.exit(0)),
      (err: Error) => process.send!({ done: 0, fen: 0, seconds: 0, latencies: [], cpuMs: 0, error: err.stack ?? String(err) } satisfies LoadResult, () => process.exit(1)),
    );
  });
}
