import type { Logger } from 'pino';
import type { Campaigns } from './campaigns.service.js';

/**
 * Runs due campaigns in the background: every `intervalMs`, and at once when
 * kicked (a launch). One pass at a time per process; several replicas share
 * the work through SKIP LOCKED on the campaign row.
 */
export function createCampaignScheduler(campaigns: Campaigns, log: Logger) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  let again = false;
  let stopped = true;

  function pass(): void {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    running = campaigns.runDue()
      .catch((err: unknown) => log.error({ err }, 'campaign run failed'))
      .finally(() => {
        busy = false;
        if (again && !stopped) {
          again = false;
          pass();
        }
      });
  }

  return {
    start(intervalMs = 5000) {
      stopped = false;
      const tick = () => {
        pass();
        if (!stopped) timer = setTimeout(tick, intervalMs);
      };
      timer = setTimeout(tick, 0);
    },
    /** Run due campaigns now (after a launch) instead of at the next tick; no-op when not started. */
    kick() {
      if (!stopped) pass();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
