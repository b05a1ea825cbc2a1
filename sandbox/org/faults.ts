/**
 * Fault knobs for tests and benchmarks: a share of record writes fail with UNABLE_TO_LOCK_ROW (as a busy real org
 * does under contention), a share of the connector's opportunity writes are refused by a validation rule (as a
 * customer's own rule that does not exempt the integration user would), and every API call can be slowed down.
 * A seeded generator keeps runs reproducible.
 */
import { seededRandom } from '../seeded-random.js';

export interface FaultOptions {
  /** Probability (0..1) that a record write fails with UNABLE_TO_LOCK_ROW. */
  lockRowRate?: number;
  /** The next N record writes fail with UNABLE_TO_LOCK_ROW, whatever the rate. */
  lockRowNext?: number;
  /**
   * Probability (0..1) that an Opportunity write by the integration user (the connector) fails with
   * FIELD_CUSTOM_VALIDATION_EXCEPTION from the rule named in INJECTED_VALIDATION_RULE.
   */
  validationRuleRate?: number;
  /** Extra latency added to every API call, in milliseconds. */
  latencyMs?: number;
  /** Up to this many further milliseconds, drawn at random per call. */
  latencyJitterMs?: number;
  /** Seed for the generator behind the rate and the jitter. */
  seed?: number;
}

/** The customer's own validation rule the validationRuleRate knob stands for; its message names the rule. */
export const INJECTED_VALIDATION_RULE = {
  name: 'Injected_Deal_Desk_Review',
  field: 'Amount',
  message: 'Injected_Deal_Desk_Review: the deal desk must review this opportunity before the integration user may change it.',
} as const;

/** Faults injected since the org started, by kind (reset() keeps them). */
export interface InjectedOrgFaults {
  lockRow: number;
  validationRule: number;
}

export class Faults {
  private options: Required<FaultOptions> = { lockRowRate: 0, lockRowNext: 0, validationRuleRate: 0, latencyMs: 0, latencyJitterMs: 0, seed: 1 };
  private random = seededRandom(1);
  readonly injected: InjectedOrgFaults = { lockRow: 0, validationRule: 0 };

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  /** Changes some knobs; unspecified ones keep their values. */
  set(options: FaultOptions): void {
    this.options = { ...this.options, ...options };
    if (options.seed !== undefined) this.random = seededRandom(options.seed);
  }

  get(): Required<FaultOptions> {
    return { ...this.options };
  }

  reset(): void {
    this.options = { lockRowRate: 0, lockRowNext: 0, validationRuleRate: 0, latencyMs: 0, latencyJitterMs: 0, seed: 1 };
    this.random = seededRandom(1);
  }

  /** Delay to add to the current call. */
  latency(): number {
    const { latencyMs, latencyJitterMs } = this.options;
    return latencyMs + (latencyJitterMs > 0 ? Math.floor(this.random() * latencyJitterMs) : 0);
  }

  /** Decides whether the current record write hits a row lock. */
  lockRow(): boolean {
    if (this.options.lockRowNext > 0) {
      this.options.lockRowNext -= 1;
      this.injected.lockRow += 1;
      return true;
    }
    const hit = this.options.lockRowRate > 0 && this.random() < this.options.lockRowRate;
    if (hit) this.injected.lockRow += 1;
    return hit;
  }

  /** Decides whether the injected validation rule refuses the current connector write. */
  validationRule(): boolean {
    const hit = this.options.validationRuleRate > 0 && this.random() < this.options.validationRuleRate;
    if (hit) this.injected.validationRule += 1;
    return hit;
  }
}
