/**
 * Ordering lanes (queue keys), shared by whoever enqueues (the HTTP edge, the sweeps) and the worker. Everything about one deal shares one lane so that at most one item touches it at
 * a time: an opportunity's lane is `opp:<18-char id>`; a referral not yet linked to an opportunity waits in
 * `ref:<referral id>` until the worker learns its opportunity and moves it to that lane.
 */
import type { EnqueueRequest, Store } from './types.js';

export const opportunityLane = (opportunityId18: string) => `opp:${opportunityId18}`;
export const referralLane = (referralId: string) => `ref:${referralId}`;

export const SWEEP_LANES = { pending: 'sweep:pending-opportunities', referrals: 'sweep:updated-referrals' } as const;

/** Store cursor: the newest referral updatedDateTime the referrals sweep has seen. */
export const REFERRAL_CURSOR = 'referrals.updatedSince';

/**
 * Store cursor written by the first referrals sweep (the backfill): when it ran and how many referrals it queued,
 * as JSON \`{"startedAt": <ms>, "total": <n>}\`, so \`cosell status\` can show the backfill's progress from the store.
 */
export const BACKFILL_CURSOR = 'referrals.backfill';

/** The lane for a referral's inbound work: its opportunity's lane once the two are linked. */
export async function laneForReferral(store: Store, referralId: string): Promise<string> {
  const state = await store.getSyncState({ referralId });
  return state?.opportunityId ? opportunityLane(state.opportunityId) : referralLane(referralId);
}

export interface InboundPayload {
  referralId: string;
  eventName: string;
  changedAt: string | null;
  [key: string]: string | null;
}

export interface OutboundPayload {
  opportunityId: string;
  reason: string;
  eventUuid: string | null;
  publishedAt: string | null;
  [key: string]: string | null;
}

export function inboundRequest(lane: string, payload: InboundPayload, source: string, idempotencyKey?: string): EnqueueRequest {
  const changed = payload.changedAt ? Date.parse(payload.changedAt) : Number.NaN;
  return { kind: 'inbound', key: lane, payload, source, idempotencyKey, eventAt: Number.isNaN(changed) ? undefined : changed };
}

export function outboundRequest(opportunityId18: string, payload: OutboundPayload, source: string, idempotencyKey?: string): EnqueueRequest {
  const published = payload.publishedAt ? Date.parse(payload.publishedAt) : Number.NaN;
  return {
    kind: 'outbound',
    key: opportunityLane(opportunityId18),
    payload,
    source,
    idempotencyKey,
    eventAt: Number.isNaN(published) ? undefined : published,
  };
}
