import type { TicketEvent } from '@telehall/contracts';
import type { ApiClient } from './http';

/**
 * Follow a Server-Sent Events stream with the client's bearer token (the
 * browser's EventSource cannot send one). Reconnects after a drop; on a 401
 * it lets the client refresh the token first by calling `refreshProbe`.
 * Returns a function that stops it.
 */
export function followTicket(api: ApiClient, url: string, refreshProbe: string, onEvent: (e: TicketEvent) => void): () => void {
  const ctrl = new AbortController();
  let stopped = false;

  async function connect(): Promise<void> {
    const token = api.tokens.get()?.accessToken;
    const res = await fetch(url, { headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, signal: ctrl.signal });
    if (res.status === 401) {
      await api.get(refreshProbe, { signal: ctrl.signal });
      return;
    }
    if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const chunk = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = chunk.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (data) onEvent(JSON.parse(data) as TicketEvent);
      }
    }
  }

  void (async () => {
    while (!stopped) {
      try {
        await connect();
      } catch {
        if (stopped) return;
      }
      await new Promise((r) => setTimeout(r, 1500));
    }
  })();

  return () => {
    stopped = true;
    ctrl.abort();
  };
}
