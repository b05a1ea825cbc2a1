/**
 * The queue's policy, one for every store: when an item is due and in which order due items are claimed, how
 * attempts are counted, when a failure is retried (and after how long) or parked as a dead letter, what a release
 * and a replay give back, and which waiting item a new request merges into. Pure functions of the item and the
 * clock; the SQLite and Postgres stores (connector/store/) read rows, ask this module what the next state is and
 * write it in their own SQL, so the two cannot drift apart in what they decide.
 */
import type { EnqueueRequest, Failure, JsonObject, WorkError, WorkItem, WorkKind, WorkStatus } from './types.js';

/**
 * Retry schedule: exponential from `baseMs`, capped at `capMs`, with "equal jitter" (half fixed, half random) so
 * many items failing together (a Partner Center outage) do not retry in lock-step, while every delay stays
 * within a predictable band [exp/2, exp].
 */
export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** Attempts (claims) before an item is parked as a dead letter. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 5_000, capMs: 30 * 60_000, maxAttempts: 10 };

/** The defaults with the caller's settings over them. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...overrides };
}

/** The un-jittered delay after the `attempt`-th failed attempt (1-based). */
export function backoffCeiling(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^exponent overflows to Infinity long before it matters; Math.min keeps it at the cap.
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>, random: () => number = Math.random): number {
  const ceiling = backoffCeiling(attempt, policy);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

// ── Due and claim order ──────────────────────────────────────────────────────────────────────────────

type Timing = Pick<WorkItem, 'status' | 'nextAttemptAt' | 'leaseUntil'>;

/**
 * When an unfinished item is due: a queued item once its backoff is over, a running one once its lease expired
 * (its worker died). The stores' SQL says the same in `DUE_AT` (store/rows.ts) so their claim index can serve it.
 */
export function dueAt(item: Timing): number {
  return item.status === 'queued' ? item.nextAttemptAt : (item.leaseUntil ?? 0);
}

/** Claim order: the longest-due first, ties by age (id). */
export function claimOrder(a: Timing & { id: number }, b: Timing & { id: number }): number {
  return dueAt(a) - dueAt(b) || a.id - b.id;
}

// ── Claim, fail, release, replay ─────────────────────────────────────────────────────────────────────

/** A failure that parks: asked to, not worth retrying, or the item's last attempt (attempts count at claim). */
export function parksAfterFailure(attempts: number, failure: { park?: boolean; retryable: boolean }, policy: Pick<RetryPolicy, 'maxAttempts'>): boolean {
  return failure.park === true || !failure.retryable || attempts >= policy.maxAttempts;
}

export type ClaimStep = { action: 'run'; item: WorkItem } | { action: 'park'; error: WorkError };

/**
 * What claiming a due item does: it runs under a fresh lease with one more attempt counted, unless its lease
 * expired on its last attempt — its worker died every time, and an item that kills workers is parked, not retried
 * forever.
 */
export function claimStep(item: WorkItem, claim: { workerId: string; now: number; leaseMs: number }, policy: Pick<RetryPolicy, 'maxAttempts'>): ClaimStep {
  if (item.status === 'running' && item.attempts >= policy.maxAttempts) {
    return {
      action: 'park',
      error: {
        message: `The connector stopped during each of ${item.attempts} attempts (lease expired); parked so it cannot stop it again.`,
        code: 'LEASE_EXPIRED',
        retryable: false,
        at: claim.now,
      },
    };
  }
  return {
    action: 'run',
    item: { ...item, status: 'running', claimedBy: claim.workerId, leaseUntil: claim.now + claim.leaseMs, attempts: item.attempts + 1, updatedAt: claim.now },
  };
}

export type FailStep = { status: 'dead'; error: WorkError } | { status: 'queued'; nextAttemptAt: number; error: WorkError };

/** A failed attempt: parked (see `parksAfterFailure`), or queued again after its backoff or the server's Retry-After, whichever is longer. */
export function failStep(
  item: Pick<WorkItem, 'attempts'>,
  failure: Pick<Failure, 'error' | 'park' | 'retryAfterMs'>,
  policy: RetryPolicy,
  now: number,
  random: () => number,
): FailStep {
  const error: WorkError = { ...failure.error, at: now };
  if (parksAfterFailure(item.attempts, { park: failure.park, retryable: failure.error.retryable }, policy)) return { status: 'dead', error };
  const delay = Math.max(backoffDelay(item.attempts, policy, random), failure.retryAfterMs ?? 0);
  return { status: 'queued', nextAttemptAt: now + delay, error };
}

export const RELEASE_REASON = 'The connector stopped while this was running; it went back to the queue.';

/**
 * A claimed item given back (graceful shutdown, paused sync): due at once, and the attempt it was claimed with is
 * not counted. The attempt may have had effects (a create that went through): the recorded error tells the next
 * attempt to look before it writes again.
 */
export function releaseStep(item: Pick<WorkItem, 'attempts'>, reason: string, now: number): { attempts: number; nextAttemptAt: number; error: WorkError } {
  return { attempts: Math.max(0, item.attempts - 1), nextAttemptAt: now, error: { message: reason, code: 'RELEASED', retryable: true, at: now } };
}

/** A dead letter an admin replays: due at once, with a fresh attempt budget. */
export function replayStep(now: number): { attempts: number; nextAttemptAt: number } {
  return { attempts: 0, nextAttemptAt: now };
}

/** The outcome an earlier dead letter of a lane gets when a later item of the lane succeeds: nothing is left to replay. */
export function supersededOutcome(id: number): JsonObject {
  return { result: 'superseded', supersededBy: id };
}

// ── Enqueue ──────────────────────────────────────────────────────────────────────────────────────────

/** A new item's schedule: due at `notBefore` (default now), standing for a change made at `eventAt` (default now). */
export function newItemTimes(request: Pick<EnqueueRequest, 'notBefore' | 'eventAt'>, now: number): { nextAttemptAt: number; eventAt: number } {
  return { nextAttemptAt: request.notBefore ?? now, eventAt: request.eventAt ?? now };
}

/** A request may merge into a waiting item unless it asks not to (coalescing is the default). */
export function coalesces(request: Pick<EnqueueRequest, 'coalesce'>): boolean {
  return request.coalesce !== false;
}

/**
 * Whether a coalescing request merges into its lane's last unfinished item: only that one (merging further forward
 * would reorder the lane), only of the same kind, and only while it still waits — a running item has read its state.
 */
export function absorbs(last: { kind: WorkKind; status: WorkStatus } | undefined, request: Pick<EnqueueRequest, 'kind'>): boolean {
  return last !== undefined && last.kind === request.kind && last.status === 'queued';
}

/**
 * The event time an absorbing item takes on, with the request's payload; null when the request is older than the
 * item, which then keeps its own: an older payload (a sweep's snapshot, a webhook's timestamp) must not hide a
 * later change behind it.
 */
export function mergedEventAt(request: Pick<EnqueueRequest, 'eventAt'>, itemEventAt: number, now: number): number | null {
  const eventAt = request.eventAt ?? now;
  return eventAt >= itemEventAt ? eventAt : null;
}
