/**
 * The read-only user (`viewer`, a Read Only profile): signs in with a password like any person, reads opportunities,
 * solutions and the settings, and is refused every create, edit and delete, which describe reports too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsforce, { type Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from './index.js';
import { rejection } from './test-helpers.js';

let org: LocalOrg;
let viewer: Connection;

const DENIED = 'INSUFFICIENT_ACCESS_OR_READONLY';

describe('viewer: a read-only user', () => {
  before(async () => {
    org = await startLocalOrg({ seed: true });
    const user = org.control.users.get('viewer');
    assert.ok(user.password, 'the viewer signs in with a password');
    const { clientId, clientSecret } = org.sellerCredentials;
    viewer = new jsforce.Connection({ oauth2: new jsforce.OAuth2({ loginUrl: org.loginUrl, clientId, clientSecret }), version: org.apiVersion });
    await viewer.login(user.username, user.password);
  });

  after(async () => {
    await org?.close();
  });

  it('reads opportunities with their Partner Center fields, solutions and the settings', async () => {
    const id = org.seeded!.opportunities.contosoLandingZone;
    const opportunity = (await viewer.sobject('Opportunity').retrieve(id, { fields: ['Name', 'Sync_With_Partner_Center__c', 'Partner_Center_Sync_Status__c'] })) as Record<string, unknown>;
    assert.equal(opportunity.Name, org.control.records.get(id)?.Name);
    assert.equal(opportunity.Sync_With_Partner_Center__c, false);
    const solutions = await viewer.query(`SELECT Id, Solution_Id__c FROM Microsoft_Solution__c WHERE Opportunity__c = '${id}'`);
    assert.ok(solutions.totalSize > 0, 'the seeded opportunity has a solution the viewer can see');
    const settings = await viewer.query('SELECT Id, Won_Stage_Name__c FROM Partner_Center_Settings__c WHERE Active__c = true');
    assert.equal(settings.totalSize, 1);
  });

  for (const object of ['Opportunity', 'Microsoft_Solution__c', 'Partner_Center_Settings__c']) {
    it(`${object}: describe says not createable, updateable or deletable, for the object and every field`, async () => {
      const described = await viewer.describe(object);
      assert.deepEqual([described.createable, described.updateable, described.deletable], [false, false, false]);
      assert.deepEqual(described.fields.filter((f) => f.createable || f.updateable).map((f) => f.name), []);
    });
  }

  it('is refused creating, editing and deleting opportunities, solutions and settings', async () => {
    const id = org.seeded!.opportunities.contosoLandingZone;
    const solutionId = String(org.control.records.query(`SELECT Id FROM Microsoft_Solution__c WHERE Opportunity__c = '${id}'`)[0].Id);
    const settingsId = org.seeded!.settingsId;
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['update Opportunity', () => viewer.sobject('Opportunity').update({ Id: id, Sync_With_Partner_Center__c: true })],
      ['create Opportunity', () => viewer.sobject('Opportunity').create({ Name: 'Mine', StageName: 'Prospecting', CloseDate: '2027-01-31' })],
      ['create Microsoft_Solution__c', () => viewer.sobject('Microsoft_Solution__c').create({ Opportunity__c: id, Solution_Id__c: 'SOL-1-ABC' })],
      ['delete Microsoft_Solution__c', () => viewer.sobject('Microsoft_Solution__c').destroy(solutionId)],
      ['update Partner_Center_Settings__c', () => viewer.sobject('Partner_Center_Settings__c').update({ Id: settingsId, Active__c: false })],
    ];
    for (const [what, attempt] of attempts) {
      const error = await rejection(attempt);
      assert.equal(error.errorCode, DENIED, `${what}: ${error.message}`);
    }
    assert.equal(org.control.records.get(id)?.Sync_With_Partner_Center__c, false, 'the opportunity is unchanged');
    assert.ok(org.control.records.get(solutionId), 'the solution is still there');
  });
});
