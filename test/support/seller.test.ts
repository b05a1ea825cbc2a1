/**
 * The e2e seller helpers against a subscriber org of the namespaced package (the local org with a namespace): they
 * prefix the package's own names and nothing else, and a plain package name sent around them, or read off an
 * answer, fails — which is what makes the namespaced e2e pass (`npm run test:e2e:namespace`) fail on a plain API
 * name left in a scenario.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../../sandbox/org/index.js';
import { connectAs, rejection } from '../../sandbox/org/test-helpers.js';
import { create, orgName, retrieve, update } from './seller.js';

const NAMESPACE = 'pcsell';
let org: LocalOrg;
let seller: Connection;

describe('e2e seller helpers with the package namespace', () => {
  before(async () => {
    process.env.COSELL_SF_NAMESPACE = NAMESPACE;
    org = await startLocalOrg({ seed: true, namespace: NAMESPACE });
    seller = await connectAs(org, 'seller');
  });
  after(() => org?.close());

  it('prefixes the package\'s objects, fields, events and relationships, never standard names or the customer\'s own fields', () => {
    assert.equal(orgName('Microsoft_Solution__c'), 'pcsell__Microsoft_Solution__c');
    assert.equal(orgName('Partner_Center_Sync_Status__e'), 'pcsell__Partner_Center_Sync_Status__e');
    assert.equal(orgName('Partner_Center_Settings__c'), 'pcsell__Partner_Center_Settings__c');
    assert.equal(
      orgName('SELECT Id, Name, AccountId, Account.Region__c, Referral_Id__c, (SELECT Solution_Id__c FROM Microsoft_Solutions__r) FROM Opportunity'),
      'SELECT Id, Name, AccountId, Account.Region__c, pcsell__Referral_Id__c, (SELECT pcsell__Solution_Id__c FROM pcsell__Microsoft_Solutions__r) FROM Opportunity',
    );
    for (const standard of ['Opportunity', 'Account', 'OpportunityContactRole', 'StageName', 'CurrencyIsoCode']) assert.equal(orgName(standard), standard);
  });

  it('writes and reads through the helpers in plain names', async () => {
    const id = await create(seller, 'Opportunity', { Name: 'Helpers - namespaced', StageName: 'Prospecting', CloseDate: '2027-06-30' });
    await update(seller, 'Opportunity', id, { Visible_To_Microsoft_Sellers__c: true, Microsoft_Help__c: 'CustomerTechnicalArchitecture' });
    const row = await retrieve(seller, 'Opportunity', id);
    assert.equal(row.Microsoft_Help__c, 'CustomerTechnicalArchitecture');
    assert.equal(row.Visible_To_Microsoft_Sellers__c, true);
    assert.equal(row.pcsell__Microsoft_Help__c, undefined, 'the helper reads the prefix off');
  });

  it('a plain package name sent around the helpers is refused, and one read off an answer finds nothing', async () => {
    const id = await create(seller, 'Opportunity', { Name: 'Helpers - plain names', StageName: 'Prospecting', CloseDate: '2027-06-30' });
    const refused = [
      await rejection(() => seller.sobject('Opportunity').update({ Id: id, Visible_To_Microsoft_Sellers__c: true })),
      await rejection(() => seller.sobject('Microsoft_Solution__c').create({ Opportunity__c: id, Solution_Id__c: 'SOL-1-ABC' })),
      await rejection(async () => { await seller.query('SELECT Id, Referral_Id__c FROM Opportunity'); }),
      await rejection(() => seller.sobject('Opportunity').retrieve(id, { fields: ['Name', 'Referral_Id__c'] })),
    ];
    for (const error of refused) assert.match(error.message, /pcsell__/, `the org names the prefixed name: ${error.message}`);
    assert.equal(org.control.records.get(id)?.Visible_To_Microsoft_Sellers__c, false, 'nothing was written');
    const answered = (await seller.sobject('Opportunity').retrieve(id)) as unknown as Record<string, unknown>;
    assert.equal(answered.Partner_Center_Sync_Status__c, undefined);
    assert.equal(answered.pcsell__Partner_Center_Sync_Status__c, 'Not Synced');
  });
});
