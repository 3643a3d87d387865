import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a gateway tells us about one payment, parsed from its signed callback. */
export interface CallbackMessage {
  paymentId: string;
  providerRef: string;
  amount: number;
  currency: string;
  status: 'succeeded' | 'cancelled';
  sentAt: string;
}

/**
 * A payment provider: where the payer goes to pay, how its callbacks are
 * authenticated, and (for auto top-up) charging a saved method.
 */
export interface PaymentProvider {
  readonly name: string;
  checkout(payment: { id: string; amountFen: number }): { redirectUrl: string; qrPayload: string };
  /** True only for a body signed with our shared secret (timing-safe). */
  verify(rawBody: string, signature: string | undefined): boolean;
  parse(rawBody: string): CallbackMessage | undefined;
  /** Charge the subscriber's saved method at once; returns the provider's reference. */
  chargeSaved(payment: { id: string; amountFen: number }): Promise<{ providerRef: string }>;
}

export const SIGNATURE_HEADER = 'x-sandbox-signature';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const hmacHex = (secret: string, body: string) => createHmac('sha256', secret).update(body, 'utf8').digest('hex');

/**
 * Telehall's own test-mode gateway: a confirm page served by Telehall
 * (`/sandbox-pay/:id`) that posts a signed callback back, like a provider's
 * sandbox. The secret is shared only between the two halves.
 */
export function createSandboxGateway(secret: string | undefined): PaymentProvider & { sign(body: string): string } {
  const key = () => {
    if (!secret) throw new Error('the sandbox payment secret is not configured');
    return secret;
  };
  return {
    name: 'sandbox',
    checkout: (p) => ({ redirectUrl: `/sandbox-pay/${p.id}`, qrPayload: `telehall-sandbox://pay/${p.id}?amount=${p.amountFen}` }),
    sign: (body) => hmacHex(key(), body),
    verify(rawBody, signature) {
      if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
      const want = Buffer.from(hmacHex(key(), rawBody), 'hex');
      return timingSafeEqual(want, Buffer.from(signature, 'hex'));
    },
    parse(rawBody) {
      let v: unknown;
      try {
        v = JSON.parse(rawBody);
      } catch {
        return undefined;
      }
      if (typeof v !== 'object' || v === null) return undefined;
      const m = v as Record<string, unknown>;
      if (typeof m.paymentId !== 'string' || !UUID.test(m.paymentId)) return undefined;
      if (typeof m.providerRef !== 'string' || m.providerRef.length > 100) return undefined;
      if (typeof m.amount !== 'number' || !Number.isSafeInteger(m.amount)) return undefined;
      if (m.status !== 'succeeded' && m.status !== 'cancelled') return undefined;
      return { paymentId: m.paymentId, providerRef: m.providerRef, amount: m.amount, currency: String(m.currency), status: m.status, sentAt: String(m.sentAt) };
    },
    chargeSaved: (p) => Promise.resolve({ providerRef: `sbx_auto_${p.id}` }),
  };
}
export type SandboxGateway = ReturnType<typeof createSandboxGateway>;

/** The ledger clearing account money from a provider passes through. */
export const clearingAccount = (provider: string) => ({ code: `clearing:gateway:${provider}`, kind: 'clearing' as const });
