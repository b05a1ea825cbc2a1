/**
 * The second call of a co-sell share. "Create a referral" → "Create a shared referral"
 * (https://learn.microsoft.com/partner-center/developer/create-a-referral) documents two steps: create your Shared
 * referral and copy its engagementId, then "create another referral for Microsoft" carrying that engagementId and
 * the target BusinessProfileLocation/msft. A crash (or a failed call) between the two leaves the partner's referral
 * without Microsoft's, so this step is idempotent on its own: it first lists the engagement
 * (`$filter=engagementId eq '…'`, a documented filter and the referral's own `links.relatedReferrals`) and creates
 * the referral for Microsoft only when the engagement has none.
 */
import { connectedReferralBody, isReferralForMicrosoft } from '../engine/outbound.js';
import { referralFilter } from '../partner-center/odata-filter.js';
import type { Referral } from '../model/referral.js';
import type { SyncDeps } from './types.js';

export interface ConnectedShare {
  /** The referral for Microsoft in the engagement. */
  referral: Referral;
  /** True when this call created it; false when an earlier attempt already had. */
  created: boolean;
  requestId?: string;
}

/** The referral for Microsoft in `own`'s engagement, if one exists. */
export async function findReferralForMicrosoft(deps: Pick<SyncDeps, 'partnerCenter'>, own: Referral): Promise<Referral | undefined> {
  if (!own.engagementId) return undefined;
  for await (const referral of deps.partnerCenter.allReferrals({ filter: referralFilter.engagementId(own.engagementId) })) {
    if (referral.id !== own.id && referral.engagementId === own.engagementId && isReferralForMicrosoft(referral)) return referral;
  }
  return undefined;
}

/** Makes sure the co-sell engagement of `own` has its referral for Microsoft; creates it at most once. */
export async function shareWithMicrosoft(deps: Pick<SyncDeps, 'partnerCenter'>, own: Referral): Promise<ConnectedShare> {
  const existing = await findReferralForMicrosoft(deps, own);
  if (existing) return { referral: existing, created: false };
  const response = await deps.partnerCenter.createReferral(connectedReferralBody(own));
  return { referral: response.data, created: true, requestId: response.requestId };
}

/**
 * Whether this outbound sync must check the engagement: the partner's own Outgoing referral is a co-sell
 * (Shared) request, and either it was just created or made Shared, or an earlier attempt may have stopped between
 * the two calls.
 */
export function needsMicrosoftShare(referral: Referral, context: { created: boolean; retried: boolean; wasShared: boolean }): boolean {
  if (referral.type !== 'Shared' || referral.direction === 'Incoming' || isReferralForMicrosoft(referral)) return false;
  return context.created || context.retried || !context.wasShared;
}
