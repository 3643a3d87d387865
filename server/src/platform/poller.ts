import type { Logger } from 'pino';

/**
 * Run `step` again and again: at once while it finds work, every
 * `intervalMs` when idle, and backing off after a failure. `stop` waits for
 * the step in progress.
 */
export function createPoller(step: () => Promise<number>, opts: { log: Logger; what: string; backoff?: number }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;
  return {
    start(intervalMs = 250) {
      stopped = false;
      const tick = async () => {
        if (stopped) return;
        try {
          running = step();
          const n = await running;
          if (!stopped) timer = setTimeout(() => void tick(), n > 0 ? 0 : intervalMs);
        } catch (err) {
          opts.log.warn({ err }, `${opts.what} failed; retrying`);
          if (!stopped) timer = setTimeout(() => void tick(), intervalMs * (opts.backoff ?? 4));
        }
      };
      timer = setTimeout(() => void tick(), intervalMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
