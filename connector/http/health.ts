/**
 * GET /healthz: the store answers, the worker loop is alive, and when each kind of work last succeeded. Anyone
 * may ask for the status (load balancers, uptime checks); the reasons behind it — which may quote an upstream's
 * answer — go only to callers holding the sync-request secret, and through the runtime's redaction even then.
 */
import type { Store, StoreStats } from '../queue/types.js';

export interface WorkerLiveness {
  running: boolean;
  /** Last time the worker loop went round (ms since epoch). */
  lastTickAt: number | null;
  /** Set while sync is paused on a configuration problem an admin must fix. */
  pausedReason?: string | null;
}

export interface HealthReport {
  healthy: boolean;
  checks: { store: { ok: boolean; error?: string }; worker: { ok: boolean; lastTickAt: string | null; error?: string } };
  lastSuccessAt?: Record<string, string | null>;
  queue?: { depth: StoreStats['depth']; running: number; deadLetters: StoreStats['dead']; oldestDueAt: string | null };
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** What an unauthenticated caller sees: healthy or not, per check, without the reasons. */
export function publicHealth(report: HealthReport): HealthReport {
  return {
    healthy: report.healthy,
    checks: { store: { ok: report.checks.store.ok }, worker: { ok: report.checks.worker.ok, lastTickAt: report.checks.worker.lastTickAt } },
  };
}

export async function assessHealth(options: {
  store: Store;
  worker: () => WorkerLiveness;
  staleAfterMs: number;
  now?: () => number;
  /** The runtime's redaction, applied to every reason the report gives. */
  redact: (text: string) => string;
}): Promise<HealthReport> {
  const now = (options.now ?? Date.now)();
  const liveness = options.worker();
  const ticking = liveness.running && liveness.lastTickAt !== null && now - liveness.lastTickAt <= options.staleAfterMs;
  const workerOk = ticking && !liveness.pausedReason;
  const error = !liveness.running
    ? 'worker is stopped'
    : !ticking
      ? `worker loop has not run for over ${options.staleAfterMs} ms`
      : `sync is paused: ${liveness.pausedReason}`;
  const worker = { ok: workerOk, lastTickAt: iso(liveness.lastTickAt), ...(workerOk ? {} : { error: options.redact(error) }) };
  let stats: StoreStats;
  try {
    await options.store.ping();
    stats = await options.store.stats();
  } catch (error) {
    return { healthy: false, checks: { store: { ok: false, error: options.redact((error as Error).message) }, worker } };
  }
  return {
    healthy: workerOk,
    checks: { store: { ok: true }, worker },
    lastSuccessAt: Object.fromEntries(Object.entries(stats.lastSuccessAt).map(([kind, at]) => [kind, iso(at)])),
    queue: { depth: stats.depth, running: stats.running, deadLetters: stats.dead, oldestDueAt: iso(stats.oldestDueAt) },
  };
}
