/**
 * Fault knobs for the emulator. Everything random is drawn from one seeded generator so a failing test or
 * benchmark can be replayed exactly with the same seed.
 */
import { seededRandom } from '../seeded-random.js';

export interface FaultSettings {
  /** Added to every API response, in milliseconds. */
  latencyMs: number;
  /** Uniform extra latency in [0, latencyJitterMs). */
  latencyJitterMs: number;
  /** Share of API calls answered 429 before they are processed (0..1). */
  rateLimitRate: number;
  /** Retry-After seconds sent with an injected 429. */
  retryAfterSeconds: number;
  /** Share of API calls answered 503 before they are processed (0..1). */
  serverErrorRate: number;
  /**
   * Share of API calls that are processed and then hang for `timeoutHangMs` before answering, so the client
   * times out without knowing whether the write happened (the case the `request-id` idempotency key is for).
   */
  timeoutRate: number;
  timeoutHangMs: number;
  /**
   * Share of conditional writes (PATCH or PUT with If-Match) that a Microsoft seller's edit of the same referral
   * overtakes: the edit (new notes) lands first, so the write's eTag is stale and it fails with 412 — someone
   * working the deal in MSX between the connector's read and its write.
   */
  concurrentEditRate: number;
  /** Share of webhook notifications lost entirely (never delivered; the connector's sweep must catch up). */
  webhookDropRate: number;
  /** Share of webhook notifications delivered twice. */
  webhookDuplicateRate: number;
  /** Share of webhook notifications held back by up to `webhookReorderDelayMs` so later ones overtake them. */
  webhookReorderRate: number;
  webhookReorderDelayMs: number;
}

export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  latencyMs: 0,
  latencyJitterMs: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  serverErrorRate: 0,
  timeoutRate: 0,
  timeoutHangMs: 30_000,
  concurrentEditRate: 0,
  webhookDropRate: 0,
  webhookDuplicateRate: 0,
  webhookReorderRate: 0,
  webhookReorderDelayMs: 200,
});

const RATE_KEYS = [
  'rateLimitRate',
  'serverErrorRate',
  'timeoutRate',
  'concurrentEditRate',
  'webhookDropRate',
  'webhookDuplicateRate',
  'webhookReorderRate',
] as const satisfies readonly (keyof FaultSettings)[];

/** Validates a partial update so a typo in a benchmark script fails loudly instead of silently doing nothing. */
export function mergeFaults(current: FaultSettings, update: Partial<FaultSettings>): FaultSettings {
  const next: FaultSettings = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (!(key in NO_FAULTS)) throw new RangeError(`Unknown fault setting "${key}"`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`Fault setting "${key}" must be a non-negative number, got ${String(value)}`);
    }
    if ((RATE_KEYS as readonly string[]).includes(key) && value > 1) {
      throw new RangeError(`Fault setting "${key}" is a rate between 0 and 1, got ${value}`);
    }
    (next as unknown as Record<string, number>)[key] = value;
  }
  return next;
}

/** A fault for the next matching API call, for tests that need an exact sequence rather than a rate. */
export type ScriptedFault =
  | { kind: 'rate-limit'; retryAfter?: string }
  | { kind: 'server-error'; status?: 500 | 502 | 503 | 504 }
  | { kind: 'timeout'; hangMs?: number };

/** How many faults of each kind were injected since the emulator started (turning faults off keeps the counts). */
export interface InjectedFaults {
  rateLimits: number;
  serverErrors: number;
  timeouts: number;
  concurrentEdits: number;
}

export class FaultInjector {
  #settings: FaultSettings;
  #random: () => number;
  #script: ScriptedFault[] = [];
  readonly injected: InjectedFaults = { rateLimits: 0, serverErrors: 0, timeouts: 0, concurrentEdits: 0 };

  constructor(seed: number, settings: Partial<FaultSettings> = {}) {
    this.#random = seededRandom(seed);
    this.#settings = mergeFaults({ ...NO_FAULTS }, settings);
  }

  get settings(): Readonly<FaultSettings> {
    return this.#settings;
  }

  set(update: Partial<FaultSettings>): FaultSettings {
    this.#settings = mergeFaults(this.#settings, update);
    return { ...this.#settings };
  }

  reset(): void {
    this.#settings = { ...NO_FAULTS };
    this.#script = [];
  }

  /** Queues faults applied, in order, to the next API calls (before any rate-based fault). */
  script(...faults: ScriptedFault[]): void {
    this.#script.push(...faults);
  }

  nextScripted(): ScriptedFault | undefined {
    return this.#script.shift();
  }

  reseed(seed: number): void {
    this.#random = seededRandom(seed);
  }

  /** True with probability `rate`; a zero rate never consumes randomness so unrelated draws stay stable. */
  chance(rate: number): boolean {
    return rate > 0 && this.#random() < rate;
  }

  latency(): number {
    const { latencyMs, latencyJitterMs } = this.#settings;
    return latencyMs + (latencyJitterMs > 0 ? Math.floor(this.#random() * latencyJitterMs) : 0);
  }

  reorderDelay(): number {
    return Math.floor(this.#random() * this.#settings.webhookReorderDelayMs);
  }
}
