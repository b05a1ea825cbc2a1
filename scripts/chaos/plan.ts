/**
 * What each scenario injects, drawn from its seed: Partner Center throttling, outages and timeouts (together at
 * least 20% of calls), Microsoft-side edits that overtake the connector's conditional writes (412), dropped,
 * duplicated and reordered webhooks, Salesforce row locks and validation-rule rejections, hostile webhook
 * deliveries, and whether the connector is killed with SIGKILL mid-work.
 */
import type { FaultSettings } from '../../sandbox/partner-center/faults.js';
import { Rng, deriveSeed } from './random.js';

export type HostileKind = 'forged-signature' | 'foreign-certificate' | 'replayed-delivery' | 'malformed-body' | 'oversized-body' | 'not-json';
export const HOSTILE_KINDS: readonly HostileKind[] = ['forged-signature', 'foreign-certificate', 'replayed-delivery', 'malformed-body', 'oversized-body', 'not-json'];

export interface ScenarioPlan {
  index: number;
  seed: number;
  /** Seller and Microsoft actions to take. */
  actions: number;
  partnerCenter: Partial<FaultSettings>;
  org: { lockRowRate: number; validationRuleRate: number; latencyMs: number; latencyJitterMs: number };
  /** Share of the org's sync-request callouts that fail (the flow's fault path leaves the deal Pending). */
  deliveryFailRate: number;
  /** Before these actions (0-based) the seller edits a deal while the connector syncs it; its callout fails half the time. */
  midSyncEdits: number[];
  /** SIGKILL the connector before this action (0-based), restart it after `downMs`. */
  kill: { beforeAction: number; downMs: number } | null;
  /** Hostile deliveries, each before the action of the same index. */
  hostile: { beforeAction: number; kind: HostileKind }[];
  /** How long the faults stay on after the last action, while the connector works through the backlog. */
  soakMs: number;
}

export interface PlanOptions {
  /** Every scenario whose index is ≡ 1 (mod killEvery) kills the connector; others do with `killChance`. */
  killEvery: number;
  killChance: number;
}

export function planScenario(runSeed: number, index: number, options: PlanOptions): ScenarioPlan {
  const seed = deriveSeed(runSeed, index);
  const rng = new Rng(seed);
  const actions = rng.int(6, 12);
  const partnerCenter: Partial<FaultSettings> = {
    // 429 + 503 + timeouts: never below 20% of calls together.
    rateLimitRate: rng.between(0.1, 0.16),
    retryAfterSeconds: rng.pick([0, 0, 1]),
    serverErrorRate: rng.between(0.1, 0.16),
    timeoutRate: rng.between(0, 0.05),
    timeoutHangMs: 1500,
    concurrentEditRate: rng.chance(0.6) ? rng.between(0.15, 0.4) : 0,
    webhookDropRate: rng.between(0.1, 0.3),
    webhookDuplicateRate: rng.between(0.1, 0.3),
    webhookReorderRate: rng.between(0.1, 0.3),
    webhookReorderDelayMs: 400,
    latencyMs: rng.int(0, 10),
    latencyJitterMs: 20,
  };
  const org = {
    lockRowRate: rng.chance(0.7) ? rng.between(0.05, 0.15) : 0,
    validationRuleRate: rng.chance(0.5) ? rng.between(0.1, 0.25) : 0,
    latencyMs: 0,
    latencyJitterMs: 0,
  };
  const killed = (options.killEvery > 0 && index % options.killEvery === 1) || rng.chance(options.killChance);
  const kill = killed ? { beforeAction: rng.int(1, actions - 1), downMs: rng.int(100, 800) } : null;
  const hostile = Array.from({ length: rng.int(1, 3) }, () => ({ beforeAction: rng.int(1, actions - 1), kind: rng.pick(HOSTILE_KINDS) }));
  const soakMs = rng.int(200, 800);
  // Drawn last, so the draws above stay what they were for a seed. Latency on both stand-ins widens the windows
  // in which a seller's edit overtakes a sync in flight.
  org.latencyMs = rng.int(2, 15);
  org.latencyJitterMs = 20;
  partnerCenter.latencyMs = (partnerCenter.latencyMs ?? 0) + rng.int(5, 30);
  const deliveryFailRate = rng.between(0.05, 0.2);
  const midSyncEdits = Array.from({ length: rng.int(1, 3) }, () => rng.int(1, actions - 1));
  return { index, seed, actions, partnerCenter, org, deliveryFailRate, midSyncEdits, kill, hostile, soakMs };
}
