/**
 * Change latency both ways, one change at a time on a settled sandbox (each change's echo and write-back finish
 * before the next change, so every sample is a change on its own, not a queue position).
 *
 * - Outbound: the seller saves a new Amount on a synced opportunity through the org's REST API. The clock starts
 *   just before that request and stops at the referral's `updatedDateTime`, the emulator's own timestamp of the
 *   PATCH that carried the new deal value (the poll only notices it; it does not add its granularity).
 * - Inbound: the Microsoft seller changes a referral's deal value in the emulator, which sends the signed webhook.
 *   The clock starts at the referral's `updatedDateTime` and stops at the opportunity's `SystemModstamp` in the
 *   local org: both are the systems' own change timestamps on the same clock.
 */
import type { Connection } from 'jsforce';
import { callsByRoute, partnerCenterCalls, resetCalls, salesforceCalls } from './calls.js';
import { summarise, type LatencySummary } from './latency.js';
import { signInAsSeller, updateOpportunity } from './seller.js';
import { settled, waitFor, type BenchStack } from './stack.js';
import { ACTIVE_STAGE } from '../../sandbox/org/index.js';

/** A change that has not arrived after this long is a failure, not a slow sample. */
const CHANGE_TIMEOUT_MS = 60_000;

export interface DirectionResult {
  latency: LatencySummary;
  changes: number;
  /** Calls the emulators served while the changes ran, echoes and write-backs included. */
  partnerCenterCalls: number;
  salesforceCalls: number;
  byRoute: ReturnType<typeof callsByRoute>;
}

export interface ChangeOptions {
  changes: number;
  /** How many records the changes rotate over. */
  records: number;
  onProgress?: (done: number) => void;
}

/** Opportunities ready to co-sell (account with a country code, contact role, solution), shared and synced. */
async function syncedOpportunities(stack: BenchStack, count: number): Promise<{ opportunityId: string; referralId: string }[]> {
  const { records } = stack.org.control;
  const seller = { as: 'seller' };
  const solution = Object.entries(stack.org.seeded!.solutionDetails)[0];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const accountId = records.create('Account', { Name: `Bench Outbound Customer ${i}`, BillingStreet: '1 Main St', BillingCity: 'Redmond', BillingPostalCode: '98052', BillingCountry: 'US' }, seller);
    const contactId = records.create('Contact', { AccountId: accountId, FirstName: 'Casey', LastName: `Buyer ${i}`, Email: `casey.buyer.${i}@bench-outbound.example` }, seller);
    const opportunityId = records.create(
      'Opportunity',
      {
        Name: `Bench outbound ${i}`,
        AccountId: accountId,
        Amount: 100_000,
        CurrencyIsoCode: 'USD',
        CloseDate: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
        StageName: ACTIVE_STAGE,
        Description: 'Benchmark opportunity.',
        Microsoft_Help__c: 'CustomerTechnicalArchitecture',
        Visible_To_Microsoft_Sellers__c: true,
      },
      seller,
    );
    records.create('OpportunityContactRole', { OpportunityId: opportunityId, ContactId: contactId, Role: 'Decision Maker', IsPrimary: true }, seller);
    records.create('Microsoft_Solution__c', { Opportunity__c: opportunityId, Solution_Id__c: solution[0], Solution_Detail__c: solution[1] }, seller);
    records.update('Opportunity', opportunityId, { Sync_With_Partner_Center__c: true }, seller);
    ids.push(opportunityId);
  }
  const linked = await waitFor(
    () => {
      const rows = ids.map((id) => records.get(id)!);
      if (rows.some((r) => r.Partner_Center_Sync_Status__c === 'Error')) {
        const failed = rows.find((r) => r.Partner_Center_Sync_Status__c === 'Error')!;
        throw new Error(`benchmark: opportunity ${String(failed.Id)} could not be shared: ${String(failed.Partner_Center_Audit__c)}`);
      }
      return rows.every((r) => r.Partner_Center_Sync_Status__c === 'Synced' && r.Referral_Id__c) ? rows : undefined;
    },
    `${count} opportunities to be shared with Partner Center`,
    CHANGE_TIMEOUT_MS,
    10,
  );
  await settled(stack);
  return linked.map((r) => ({ opportunityId: String(r.Id), referralId: String(r.Referral_Id__c) }));
}

export async function measureOutbound(stack: BenchStack, options: ChangeOptions): Promise<DirectionResult> {
  const deals = await syncedOpportunities(stack, Math.min(options.records, options.changes));
  const seller: Connection = await signInAsSeller(stack.org);
  await settled(stack);
  resetCalls(stack);
  const samples: number[] = [];
  for (let i = 0; i < options.changes; i++) {
    const deal = deals[i % deals.length];
    const amount = 200_000 + i;
    const started = Date.now();
    await updateOpportunity(seller, deal.opportunityId, { Amount: amount });
    const referral = await waitFor(
      () => {
        const current = stack.pc.control.referrals.get(deal.referralId);
        return current.details?.dealValue === amount ? current : undefined;
      },
      `deal value ${amount} on referral ${deal.referralId}`,
      CHANGE_TIMEOUT_MS,
    );
    samples.push(Date.parse(referral.updatedDateTime!) - started);
    await settled(stack);
    options.onProgress?.(i + 1);
  }
  const result = { changes: options.changes, latency: summarise(samples), byRoute: callsByRoute(stack) };
  // The seller's own REST calls (sign-in, one PATCH per change) are the benchmark's, not the connector's.
  return { ...result, partnerCenterCalls: partnerCenterCalls(stack.pc), salesforceCalls: salesforceCalls(stack.org) - options.changes };
}

/** Referrals Microsoft shared, each brought in as an opportunity on hold. */
async function sharedReferrals(stack: BenchStack, count: number): Promise<{ opportunityId: string; referralId: string }[]> {
  const referralIds = Array.from(
    { length: count },
    (_, i) =>
      stack.pc.control.seller.share({
        name: `Bench inbound ${i}`,
        customer: { name: `Bench Inbound Customer ${i}`, country: 'US', postalCode: '98052', contacts: [{ firstName: 'Robin', lastName: `Lee ${i}`, email: `robin.lee.${i}@bench-inbound.example` }] },
        dealValue: 50_000,
      }).id!,
  );
  const quoted = referralIds.map((id) => `'${id}'`).join(', ');
  const rows = await waitFor(
    () => {
      const found = stack.org.control.records.query(`SELECT Id, Referral_Id__c FROM Opportunity WHERE Referral_Id__c IN (${quoted})`);
      return found.length === count ? found : undefined;
    },
    `${count} shared referrals to arrive as opportunities`,
    CHANGE_TIMEOUT_MS,
    10,
  );
  await settled(stack);
  return rows.map((r) => ({ opportunityId: String(r.Id), referralId: String(r.Referral_Id__c) }));
}

export async function measureInbound(stack: BenchStack, options: ChangeOptions): Promise<DirectionResult> {
  const deals = await sharedReferrals(stack, Math.min(options.records, options.changes));
  resetCalls(stack);
  const samples: number[] = [];
  for (let i = 0; i < options.changes; i++) {
    const deal = deals[i % deals.length];
    const amount = 60_000 + i;
    const changed = Date.parse(stack.pc.control.seller.update(deal.referralId, { dealValue: amount }).updatedDateTime!);
    const modstamp = await waitFor(
      () => {
        const row = stack.org.control.records.get(deal.opportunityId);
        return row?.Amount === amount ? String(row.SystemModstamp) : undefined;
      },
      `amount ${amount} on opportunity ${deal.opportunityId}`,
      CHANGE_TIMEOUT_MS,
    );
    samples.push(Date.parse(modstamp.replace(/\+0000$/, 'Z')) - changed);
    await settled(stack);
    options.onProgress?.(i + 1);
  }
  return {
    changes: options.changes,
    latency: summarise(samples),
    partnerCenterCalls: partnerCenterCalls(stack.pc),
    salesforceCalls: salesforceCalls(stack.org),
    byRoute: callsByRoute(stack),
  };
}
