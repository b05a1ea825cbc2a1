/**
 * Physical limits: what a change must cost at the least, measured on the same stack and profile as the figures
 * they stand beside. A change needs one Partner Center call and one Salesforce round trip; the benchmark times
 * that pair (a referral read, then an opportunity query, each a call of its own) several times and summarises
 * the samples. A backfill must at least list every page of referrals, one page after the other (the listing is
 * paged by nextLink), and write the last page's deals in one Salesforce round trip.
 */
import type { Connection } from 'jsforce';
import type { PartnerCenterClient } from '../../connector/partner-center/client.js';
import { summarise, type LatencySummary } from './latency.js';

export interface Limits {
  /** One Partner Center call followed by one Salesforce round trip. */
  change: LatencySummary;
  partnerCenterCall: LatencySummary;
  salesforceCall: LatencySummary;
}

export async function measureLimits(pc: PartnerCenterClient, seller: Connection, referralId: string, opportunityId: string, samples = 20): Promise<Limits> {
  const pcSamples: number[] = [];
  const sfSamples: number[] = [];
  for (let i = 0; i < samples; i++) {
    let started = performance.now();
    await pc.getReferral(referralId);
    pcSamples.push(performance.now() - started);
    started = performance.now();
    await seller.query(`SELECT Id FROM Opportunity WHERE Id = '${opportunityId}'`);
    sfSamples.push(performance.now() - started);
  }
  return {
    change: summarise(pcSamples.map((ms, i) => ms + sfSamples[i])),
    partnerCenterCall: summarise(pcSamples),
    salesforceCall: summarise(sfSamples),
  };
}

/** The least a backfill of `referrals` can take: its listing pages in sequence, then one Salesforce round trip. */
export function backfillLimitSeconds(referrals: number, limits: Limits, pageSize = 100): number {
  const pages = Math.ceil(referrals / pageSize);
  return (pages * limits.partnerCenterCall.p50 + limits.salesforceCall.p50) / 1000;
}
