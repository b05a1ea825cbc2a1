/**
 * Change latency both ways over the whole path, one change at a time on a settled sandbox (each change's echo
 * and write-back finish before the next change, so every sample is a change on its own, not a queue position).
 * Start and stop are the systems' own timestamps (the org's and the emulator's, on this machine's clock), so
 * the benchmark's polling does not add its granularity.
 *
 * - Outbound: the seller saves a new Amount on a synced opportunity through the org's REST API; the connector
 *   patches the referral and writes the outcome back to the opportunity.
 * - Inbound: the Microsoft seller changes a referral's deal value in the emulator, which sends the signed
 *   webhook; the connector reads the referral and writes the opportunity.
 */
import type { Connection } from 'jsforce';
import { callsByRoute, partnerCenterCalls, resetCalls, salesforceCalls } from './calls.js';
import { summarise, type LatencySummary } from './latency.js';
import { measureLimits, type Limits } from './limits.js';
import { signInAsSeller, updateOpportunity } from './seller.js';
import { settled, waitFor, type BenchStack } from './stack.js';
import { emulatorPartnerCenterClient } from '../../sandbox/stack/partner-center.js';
import { ACTIVE_STAGE, SYNC_REQUEST_EVENT, SYNC_STATUS_EVENT, type EventMessage } from '../../sandbox/org/index.js';

/** A change that has not arrived after this long is a failure, not a slow sample. */
const CHANGE_TIMEOUT_MS = 60_000;

export interface DirectionResult {
  latency: LatencySummary;
  /** One Partner Center call and one Salesforce round trip, measured on the same stack. */
  limits: Limits;
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

/**
 * Org timestamps (ms) of the events each opportunity got, oldest first: the sync requests its saves published
 * (the moment a save commits) and the Synced status events the connector published after writing it.
 */
class OpportunityEvents {
  readonly #times = new Map<string, number[]>();
  readonly #stops: (() => void)[];

  constructor(stack: BenchStack) {
    const record = (kind: string) => (message: EventMessage) => {
      const { Opportunity_Id__c: id, Sync_Status__c: status, CreatedDate: at } = message.data.payload;
      if (kind === SYNC_STATUS_EVENT && status !== 'Synced') return;
      const key = `${kind} ${String(id).slice(0, 15)}`;
      this.#times.set(key, [...(this.#times.get(key) ?? []), orgTime(String(at))]);
    };
    this.#stops = [SYNC_REQUEST_EVENT, SYNC_STATUS_EVENT].map((kind) => stack.org.control.events.subscribe(kind, record(kind)));
  }

  stop(): void {
    for (const stop of this.#stops) stop();
  }

  /** The first sync request (a save) for the opportunity at or after `since`. */
  saved(opportunityId: string, since: number): number | undefined {
    return this.#times.get(`${SYNC_REQUEST_EVENT} ${opportunityId.slice(0, 15)}`)?.find((t) => t >= since);
  }

  /** The first Synced status for the opportunity at or after `since`. */
  synced(opportunityId: string, since: number): number | undefined {
    return this.#times.get(`${SYNC_STATUS_EVENT} ${opportunityId.slice(0, 15)}`)?.find((t) => t >= since);
  }
}

const orgTime = (stamp: string) => Date.parse(stamp.replace(/\+0000$/, 'Z'));

/**
 * Outbound, the whole path: the clock starts at the seller's save (the org's timestamp of the sync request the
 * save published) and stops
 * when the write-back is visible in Salesforce (the org's timestamp of the Synced status event the connector
 * publishes once the opportunity is written back), the referral having the new deal value by then.
 */
export async function measureOutbound(stack: BenchStack, options: ChangeOptions): Promise<DirectionResult> {
  const deals = await syncedOpportunities(stack, Math.min(options.records, options.changes));
  const seller: Connection = await signInAsSeller(stack.org);
  const limits = await measureLimits(emulatorPartnerCenterClient(stack.pc), seller, deals[0].referralId, deals[0].opportunityId);
  await settled(stack);
  const events = new OpportunityEvents(stack);
  resetCalls(stack);
  const samples: number[] = [];
  try {
    for (let i = 0; i < options.changes; i++) {
      const deal = deals[i % deals.length];
      const amount = 200_000 + i;
      const asked = Date.now();
      await updateOpportunity(seller, deal.opportunityId, { Amount: amount });
      // The org's timestamps have millisecond precision: the save commits after the request was sent.
      const saved = await waitFor(() => events.saved(deal.opportunityId, asked), `the save of opportunity ${deal.opportunityId}`, CHANGE_TIMEOUT_MS);
      const writtenBack = await waitFor(
        () => (stack.pc.control.referrals.get(deal.referralId).details?.dealValue === amount ? events.synced(deal.opportunityId, saved) : undefined),
        `deal value ${amount} on referral ${deal.referralId} and its write-back on opportunity ${deal.opportunityId}`,
        CHANGE_TIMEOUT_MS,
      );
      samples.push(writtenBack - saved);
      await settled(stack);
      options.onProgress?.(i + 1);
    }
  } finally {
    events.stop();
  }
  const result = { changes: options.changes, latency: summarise(samples), limits, byRoute: callsByRoute(stack) };
  // The seller's own REST calls (one PATCH per change) are the benchmark's, not the connector's.
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

/**
 * Inbound, the whole path: the clock starts at the referral's updatedDateTime (the emulator's timestamp of the
 * Microsoft seller's edit, which sends the webhook) and stops at the opportunity's final write (the org's
 * timestamp of the Synced status event published once the opportunity is written and re-read).
 */
export async function measureInbound(stack: BenchStack, options: ChangeOptions): Promise<DirectionResult> {
  const deals = await sharedReferrals(stack, Math.min(options.records, options.changes));
  const seller: Connection = await signInAsSeller(stack.org);
  const limits = await measureLimits(emulatorPartnerCenterClient(stack.pc), seller, deals[0].referralId, deals[0].opportunityId);
  await settled(stack);
  const events = new OpportunityEvents(stack);
  resetCalls(stack);
  const samples: number[] = [];
  try {
    for (let i = 0; i < options.changes; i++) {
      const deal = deals[i % deals.length];
      const amount = 60_000 + i;
      const changed = Date.parse(stack.pc.control.seller.update(deal.referralId, { dealValue: amount }).updatedDateTime!);
      const written = await waitFor(
        () => (stack.org.control.records.get(deal.opportunityId)?.Amount === amount ? events.synced(deal.opportunityId, changed) : undefined),
        `amount ${amount} on opportunity ${deal.opportunityId} and its Synced status`,
        CHANGE_TIMEOUT_MS,
      );
      samples.push(written - changed);
      await settled(stack);
      options.onProgress?.(i + 1);
    }
  } finally {
    events.stop();
  }
  return {
    changes: options.changes,
    latency: summarise(samples),
    limits,
    partnerCenterCalls: partnerCenterCalls(stack.pc),
    salesforceCalls: salesforceCalls(stack.org),
    byRoute: callsByRoute(stack),
  };
}
