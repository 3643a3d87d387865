import { MB } from '../modules/charging/tariff.js';

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same usage. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Profile = 'light' | 'medium' | 'heavy';

/** Per profile: data per day (bytes), calls per day, mean call seconds, SMS per day. */
const PROFILES: Record<Profile, { dataPerDay: number; calls: number; callS: number; sms: number }> = {
  light: { dataPerDay: 60 * MB, calls: 1.5, callS: 90, sms: 0.5 },
  medium: { dataPerDay: 400 * MB, calls: 3, callS: 150, sms: 1 },
  heavy: { dataPerDay: 1600 * MB, calls: 5, callS: 240, sms: 2 },
};

// Share of a day's activity per hour (Beijing time): quiet nights, lunch and evening peaks.
const HOURS = [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.5, 3, 4, 4.5, 5, 5.5, 6.5, 5.5, 5, 5, 5, 5.5, 6.5, 7.5, 8.5, 8.5, 7, 3.5];
const HOUR_SUM = HOURS.reduce((s, h) => s + h, 0);

/**
 * How a subscriber behaves beyond usage (sim/behaviour.ts):
 * steady: pays, stays; topper: a plan too small, buys add-on packs when data
 * runs low; lapsing: prepaid for a month or two, runs dry and is suspended,
 * then some top up and the others leave; leaver: closes the line one day.
 */
export type Behaviour = 'steady' | 'topper' | 'lapsing' | 'leaver';

export interface SimLine {
  msisdn: string;
  profile: Profile;
  behaviour?: Behaviour;
}

export interface SimEvent {
  id: string;
  msisdn: string;
  type: 'data' | 'voice' | 'sms';
  quantity: number;
  startedAt: string;
}

/** Pick a profile for line `i`: most are medium, a fifth light, a tenth heavy. */
export function profileFor(r: () => number): Profile {
  const x = r();
  return x < 0.2 ? 'light' : x < 0.9 ? 'medium' : 'heavy';
}

/** A quarter toppers, a quarter lapsing, one in eight leaving, the rest steady. */
export function behaviourFor(r: () => number): Behaviour {
  const x = r();
  return x < 0.25 ? 'topper' : x < 0.5 ? 'lapsing' : x < 0.625 ? 'leaver' : 'steady';
}

function poisson(r: () => number, mean: number): number {
  // Knuth for the small means here.
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l && k < 1000);
  return k - 1;
}

function hourOf(r: () => number): number {
  let x = r() * HOUR_SUM;
  for (let h = 0; h < 24; h++) {
    x -= HOURS[h]!;
    if (x <= 0) return h;
  }
  return 23;
}

/**
 * One day of usage for each line, in time order: data sessions, calls and
 * SMS with a daily rhythm (Beijing hours), weekends heavier on data and
 * lighter on calls, and each line's own taste. Ids are deterministic
 * (`sim<seed>-<msisdn>-<day>-<n>`), so re-running a day is charged once.
 */
export function simulateDay(lines: SimLine[], dayStartUtc: Date, seed: number): SimEvent[] {
  const day = new Date(dayStartUtc.getTime() + 8 * 3600_000).toISOString().slice(0, 10); // the Beijing date
  const dow = new Date(dayStartUtc.getTime() + 8 * 3600_000).getUTCDay();
  const weekend = dow === 0 || dow === 6;
  const out: { t: number; e: SimEvent }[] = [];
  for (const line of lines) {
    const r = rng(seed ^ hash(line.msisdn) ^ hash(day));
    const p = PROFILES[line.profile];
    const taste = 0.6 + r() * 0.8;
    let n = 0;
    const at = () => dayStartUtc.getTime() + hourOf(r) * 3600_000 + Math.floor(r() * 3600_000);
    const push = (type: SimEvent['type'], quantity: number) => {
      const t = at();
      out.push({ t, e: { id: `sim${seed}-${line.msisdn}-${day}-${n++}`, msisdn: line.msisdn, type, quantity, startedAt: new Date(t).toISOString() } });
    };
    const sessions = 4 + poisson(r, 6);
    const dataToday = p.dataPerDay * taste * (weekend ? 1.3 : 1) * (0.5 + r());
    for (let i = 0; i < sessions; i++) push('data', Math.max(1024, Math.round((dataToday / sessions) * (0.3 + r() * 1.4))));
    const calls = poisson(r, p.calls * taste * (weekend ? 0.7 : 1));
    for (let i = 0; i < calls; i++) push('voice', Math.max(3, Math.round(-Math.log(1 - r()) * p.callS)));
    const sms = poisson(r, p.sms);
    for (let i = 0; i < sms; i++) push('sms', 1);
  }
  out.sort((a, b) => a.t - b.t);
  return out.map((x) => x.e);
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
