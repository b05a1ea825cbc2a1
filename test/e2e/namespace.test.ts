/**
 * End to end with the managed package's namespace: the local org stands for a subscriber org (its REST API knows
 * only the `pcsell__` names of the package's objects and fields and refuses the plain ones), and the connector runs
 * with COSELL_SF_NAMESPACE=pcsell, as an admin configures it after installing from an install URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SOLUTION_CATALOG } from '../../sandbox/org/index.js';
import { eventually, record } from '../support/observe.js';
import { addSolution, createDeal, dayFromNow, orgName, turnOnSync } from '../support/seller.js';
import { startStack, type Stack } from '../support/stack.js';

// Before the stack starts: the org and loadConfig both read it.
process.env.COSELL_SF_NAMESPACE = 'pcsell';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

describe('with the package namespace (COSELL_SF_NAMESPACE=pcsell)', () => {
  it('the org speaks only prefixed names: a plain package field is refused', async () => {
    assert.equal(orgName('Referral_Id__c'), 'pcsell__Referral_Id__c');
    await assert.rejects(async () => {
      await stack.seller.query('SELECT Id, Referral_Id__c FROM Opportunity LIMIT 1');
    }, /pcsell__Referral_Id__c/);
    const rows = await stack.seller.query<Record<string, unknown>>('SELECT Id, pcsell__Partner_Center_Sync_Status__c FROM Opportunity LIMIT 1');
    assert.ok(rows.records.every((row) => 'pcsell__Partner_Center_Sync_Status__c' in row));
  });

  it('a co-sell deal syncs to Partner Center and the referral comes back, all in namespaced names', async () => {
    const deal = await createDeal(stack, {
      name: 'Namespaced - Fabrikam data platform',
      account: { Name: 'Fabrikam Namespaced', BillingStreet: 'Kungsgatan 1', BillingCity: 'Stockholm', BillingPostalCode: '11143', BillingCountry: 'SE' },
      contact: { FirstName: 'Alva', LastName: 'Berg', Email: 'alva.berg@fabrikam.example', Title: 'CIO' },
      solutionId: SOLUTION_CATALOG[0].Solution_Id__c,
      closeDate: dayFromNow(30),
    });
    const id = deal.opportunityId;
    await turnOnSync(stack, id);
    const synced = await eventually(() => {
      const row = record(stack, id);
      return row.Partner_Center_Sync_Status__c === 'Synced' && row;
    }, 'the namespaced deal to sync');
    const referral = stack.pc.control.referrals.get(String(synced.Referral_Id__c));
    assert.equal(referral.externalReferenceId, id);
    assert.deepEqual(referral.details?.requirements?.solutions?.map((s) => s.id), [SOLUTION_CATALOG[0].Solution_Id__c]);

    // What the seller's card reads: the referral id under its namespaced name.
    const seen = (await stack.seller.query<Record<string, unknown>>(`SELECT pcsell__Referral_Id__c, pcsell__Partner_Center_Sync_Status__c FROM Opportunity WHERE Id = '${id}'`)).records[0];
    assert.equal(seen.pcsell__Referral_Id__c, synced.Referral_Id__c);
    assert.equal(seen.pcsell__Partner_Center_Sync_Status__c, 'Synced');

    // A solution change travels too (the solution flows, the connector's solution query).
    await addSolution(stack.seller, id, SOLUTION_CATALOG[1].Solution_Id__c);
    await eventually(
      () => (stack.pc.control.referrals.get(String(synced.Referral_Id__c)).details?.requirements?.solutions?.length ?? 0) === 2,
      'the second solution to reach the referral',
    );
  });
});
