/**
 * Referral_Link__c: where a seller opens the referral in the Partner Center portal. The referrals workspace lives
 * at https://partner.microsoft.com/dashboard/referrals/v2 (the address Microsoft's own documentation links to);
 * co-sell opportunities are listed under /opportunities there.
 */
import type { Referral } from '../model/referral.js';

export const PARTNER_CENTER_REFERRALS_URL = 'https://partner.microsoft.com/dashboard/referrals/v2';

export function referralPortalLink(referral: Pick<Referral, 'id'>): string | null {
  return referral.id ? `${PARTNER_CENTER_REFERRALS_URL}/opportunities/${encodeURIComponent(referral.id)}` : null;
}
