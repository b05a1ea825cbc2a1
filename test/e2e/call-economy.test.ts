/**
 * What one change costs, counted by the stand-ins themselves (issue 14, "Call economy"): at most 3 Salesforce calls
 * for a change a seller makes and one Partner Center call for a change that is not a co-sell create. The counts are the org's and the emulator's own counters over the whole change, its echoes included (the
 * webhook of the connector's own PATCH, the sync request a write-back could raise), so nothing is left out. Counts
 * are deterministic: no timing is asserted here (that is the benchmark's).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, partnerCenterApiCalls, record, settled } from '../support/observe.js';
import { createDeal, turnOnSync, update } from '../support/seller.js';
import { startStack, type Stack } from '../support/stack.js';

const MAX_SF_CALLS_OUTBOUND = 3;

let stack: Stack;
before(async () => {
  stack = await startStack();
  // Sign-in, the settings record and the org's currency are read once per connector, not per change: warm them.
  const deal = await createDeal(stack, { name: 'Warm-up deal', account: { Name: 'Warm-up Ltd', BillingCountry: 'US' }, help: null });
  await turnOnSync(stack, deal.opportunityId);
  await synced(deal.opportunityId);
});
after(() => stack?.close());

function synced(opportunityId: string, since = 0): Promise<unknown> {
  return eventually(() => {
    const row = record(stack, opportunityId);
    return row.Partner_Center_Sync_Status__c === 'Synced' && Date.parse(String(row.LastModifiedDate)) >= since && row;
  }, `opportunity ${opportunityId} to be Synced`);
}

interface Cost {
  salesforce: number;
  partnerCenter: number;
  salesforceByRoute: Record<string, number>;
  partnerCenterByRoute: Record<string, number>;
}

/** Runs `change` from a quiet stack to a quiet stack and returns the calls the connector made for it. */
async function cost(change: () => Promise<void>, sellerCalls: number): Promise<Cost> {
  await settled(stack);
  stack.org.resetStats();
  stack.pc.control.resetStats();
  await change();
  await settled(stack);
  const pcRoutes = Object.fromEntries(
    Object.entries(stack.pc.stats().byRoute)
      .filter(([route]) => !route.split(' ')[1]?.startsWith('/_emulator'))
      .map(([route, stats]) => [route, stats.total]),
  );
  return {
    // The seller's own REST calls are the seller's, not the connector's.
    salesforce: stack.org.stats().total - sellerCalls,
    partnerCenter: partnerCenterApiCalls(stack),
    salesforceByRoute: stack.org.stats().byRoute,
    partnerCenterByRoute: pcRoutes,
  };
}

describe('Calls per change', () => {
  it('outbound create (not co-sell): at most 3 Salesforce calls and 1 Partner Center call', async () => {
    const deal = await createDeal(stack, { name: 'Contoso renewal', account: { Name: 'Contoso Call Economy', BillingCountry: 'US' }, help: null });
    await settled(stack);
    const spent = await cost(async () => {
      await turnOnSync(stack, deal.opportunityId);
      await synced(deal.opportunityId);
    }, 1);
    assert.ok(spent.salesforce <= MAX_SF_CALLS_OUTBOUND, `${spent.salesforce} Salesforce calls: ${JSON.stringify(spent.salesforceByRoute)}; Partner Center: ${JSON.stringify(spent.partnerCenterByRoute)}`);
    assert.deepEqual(spent.partnerCenterByRoute, { 'POST /v1.0/engagements/referrals': 1 });
    assert.equal(spent.partnerCenter, 1);
  });

  it('outbound update: at most 3 Salesforce calls and 1 Partner Center call, the echo included', async () => {
    const deal = await createDeal(stack, { name: 'Fabrikam expansion', account: { Name: 'Fabrikam Call Economy', BillingCountry: 'US' }, help: null });
    await turnOnSync(stack, deal.opportunityId);
    await synced(deal.opportunityId);
    const spent = await cost(async () => {
      const before = Date.now();
      await update(stack.seller, 'Opportunity', deal.opportunityId, { Amount: 125_000 });
      await eventually(() => record(stack, deal.opportunityId).Partner_Center_Sync_Status__c === 'Pending' || Date.parse(String(record(stack, deal.opportunityId).LastModifiedDate)) > before, 'the seller’s change to register');
      await synced(deal.opportunityId, before);
    }, 1);
    assert.ok(spent.salesforce <= MAX_SF_CALLS_OUTBOUND, `${spent.salesforce} Salesforce calls: ${JSON.stringify(spent.salesforceByRoute)}; Partner Center: ${JSON.stringify(spent.partnerCenterByRoute)}`);
    assert.deepEqual(spent.partnerCenterByRoute, { 'PATCH /v1.0/engagements/referrals/:id': 1 });
  });
});
