/**
 * What kind of referral Partner Center sent. Microsoft's referrals API introduction tells them apart by type,
 * qualification and inviteContext.invitedBy.organizationId (it warns that referralSource or callToAction alone do
 * not identify a marketplace lead):
 *
 * | type                   | qualification                      | invitedBy.organizationId | kind            |
 * |------------------------|------------------------------------|--------------------------|-----------------|
 * | Independent            | Direct                             | msft or none             | marketplaceLead |
 * | Independent            | SalesQualified, MarketingQualified | msft                     | qualifiedLead   |
 * | Independent or Shared  | anything else                      | a partner organisation   | coSell          |
 */
import type { Referral } from '../model/referral.js';

export type ReferralKind = 'marketplaceLead' | 'qualifiedLead' | 'coSell';

export function classifyReferral(referral: Pick<Referral, 'type' | 'qualification' | 'inviteContext'>): ReferralKind {
  const invitedBy = referral.inviteContext?.invitedBy?.organizationId?.trim().toLowerCase() ?? '';
  if (referral.type === 'Independent' && referral.qualification === 'Direct' && (invitedBy === '' || invitedBy === 'msft')) {
    return 'marketplaceLead';
  }
  if (
    referral.type === 'Independent' &&
    (referral.qualification === 'SalesQualified' || referral.qualification === 'MarketingQualified') &&
    invitedBy === 'msft'
  ) {
    return 'qualifiedLead';
  }
  return 'coSell';
}
