/**
 * End to end, Partner Center → Salesforce: a Microsoft seller shares and works referrals through the emulator's
 * HTTP control routes; Partner Center's signed webhooks reach the connector, which brings the deals into the org
 * for the seller, who accepts, declines, wins or loses them through the org's REST API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ShareReferralInput } from '../../sandbox/partner-center/microsoft-seller.js';
import { ACTIVE_STAGE, LOST_STAGE, ON_HOLD_STAGE, WON_STAGE } from '../../sandbox/org/index.js';
import { assertQuiet, eventually, lastAuditLine, opportunityForReferral, partnerCenterApiCalls, query, record, settled, syncLogs, type Row } from '../support/observe.js';
import { create, update } from '../support/seller.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

/** Microsoft shares a referral; resolves once its opportunity, contact roles and solutions are in Salesforce. */
async function shared(input: ShareReferralInput): Promise<{ referralId: string; opportunityId: string }> {
  const referral = await stack.microsoft.share(input);
  const referralId = String(referral.id);
  const row = await eventually(() => opportunityForReferral(stack, referralId), `the opportunity for ${input.name}`);
  // The opportunity is written before its contact roles and solutions: look once the work is done.
  await settled(stack);
  return { referralId, opportunityId: String(row.Id) };
}

/** The opportunity's contact roles, by contact email. */
function contactRoles(opportunityId: string): Row[] {
  const email = (role: Row) => String((role.Contact as Row).Email);
  return query(stack, `SELECT ContactId, Contact.Email, Contact.AccountId, IsPrimary FROM OpportunityContactRole WHERE OpportunityId = '${opportunityId}'`).sort((a, b) =>
    email(a).localeCompare(email(b)),
  );
}

describe('Partner Center → Salesforce', () => {
  it('brings a referral Microsoft shares in on hold, matched to the customer; the seller accepts it; Microsoft’s updates follow', async () => {
    // The seller's existing customer, a namesake elsewhere, and the customer's contact.
    const namesake = await create(stack.seller, 'Account', { Name: 'Woodgrove Bank', BillingCity: 'Westminster', BillingPostalCode: 'SW1A 1AA', BillingCountry: 'GB' });
    const customer = await create(stack.seller, 'Account', { Name: 'Woodgrove Bank', BillingCity: 'London', BillingPostalCode: 'EC2A 1AA', BillingCountry: 'GB' });
    const ana = await create(stack.seller, 'Contact', { AccountId: customer, FirstName: 'Ana', LastName: 'Silva', Email: 'ana.silva@woodgrove.example' });

    const { referralId, opportunityId: id } = await shared({
      name: 'Woodgrove - analytics platform',
      customer: {
        name: 'Woodgrove Bank',
        country: 'GB',
        city: 'London',
        postalCode: 'ec2a 1aa',
        contacts: [
          { firstName: 'Ana', lastName: 'Silva', email: 'Ana.Silva@Woodgrove.example' },
          { firstName: 'Ben', lastName: 'Okafor', email: 'ben.okafor@woodgrove.example', phoneNumber: '+44 20 7946 0000' },
        ],
      },
      dealValue: 90_000,
      currency: 'GBP',
      solutions: [{ id: 'SOL-34104-EBB', name: 'Contoso Data Platform', publisherName: 'Contoso' }],
    });

    const created = record(stack, id);
    assert.equal(created.StageName, ON_HOLD_STAGE);
    assert.equal(created.Sync_With_Partner_Center__c, true);
    assert.equal(created.Amount, 90_000);
    assert.equal(created.CurrencyIsoCode, 'GBP');
    assert.equal(created.AccountId, customer, 'matched by company name and postal code, not the namesake');
    assert.notEqual(created.AccountId, namesake);
    assert.equal(created.Partner_Center_Sync_Status__c, 'Synced');
    assert.equal(created.Partner_Center_Status__c, 'New - Pending');
    assert.match(String(created.Name), /^✔ /);
    assert.equal(query(stack, "SELECT Id FROM Account WHERE Name = 'Woodgrove Bank'").length, 2, 'no account was created');
    const roles = contactRoles(id);
    assert.deepEqual(roles.map((r) => (r.Contact as Row).Email), ['ana.silva@woodgrove.example', 'ben.okafor@woodgrove.example']);
    assert.equal(roles[0].ContactId, ana, 'the existing contact, matched by email');
    assert.equal((roles[1].Contact as Row).AccountId, customer, 'the new contact belongs to the customer');
    assert.deepEqual(query(stack, `SELECT Solution_Id__c FROM Microsoft_Solution__c WHERE Opportunity__c = '${id}'`).map((s) => s.Solution_Id__c), ['SOL-34104-EBB']);
    const [log] = syncLogs(stack, id);
    assert.equal(log.Direction__c, 'Inbound');
    assert.equal(log.Outcome__c, 'Success');
    assert.equal(log.Referral_Id__c, referralId);
    await assertQuiet(stack);
    assert.equal(partnerCenterApiCalls(stack, 'PATCH'), 0, 'bringing a referral in sends nothing back');

    // The seller accepts: the opportunity leaves the on-hold stage.
    const eTag = stack.pc.control.referrals.get(referralId).eTag;
    await update(stack.seller, 'Opportunity', id, { StageName: ACTIVE_STAGE });
    await eventually(() => stack.pc.control.referrals.get(referralId).status === 'Active', 'the acceptance in Partner Center');
    assert.equal(stack.pc.control.referrals.get(referralId).substatus, 'Accepted');
    const [accept] = stack.partnerCenterWire.find('PATCH', new RegExp(`/referrals/${referralId}$`));
    assert.equal(accept.headers['if-match'], eTag);
    // The acceptance also records the opportunity as the referral's CRM reference.
    assert.deepEqual(JSON.parse(accept.body.toString('utf8')), [
      { op: 'add', path: '/externalReferenceId', value: id },
      { op: 'replace', path: '/status', value: 'Active' },
      { op: 'replace', path: '/substatus', value: 'Accepted' },
    ]);
    await eventually(() => record(stack, id).Partner_Center_Status__c === 'Active - Accepted', 'the status on the opportunity');
    await assertQuiet(stack);

    // Microsoft works the deal: a new value and its own CRM id come to Salesforce, and nothing goes back.
    const patches = partnerCenterApiCalls(stack, 'PATCH');
    const deliveries = stack.org.control.deliveries.list().length;
    await stack.microsoft.update(referralId, { dealValue: 95_000 });
    await stack.microsoft.setCrmId(referralId, '7-1AB2C3D4E5');
    const updated = await eventually(() => {
      const row = record(stack, id);
      return row.Amount === 95_000 && row.Microsoft_CRM_Id__c === '7-1AB2C3D4E5' && row;
    }, 'Microsoft’s updates in Salesforce');
    assert.equal(updated.StageName, ACTIVE_STAGE);
    assert.match(lastAuditLine(stack, id), /✔ Partner Center → Salesforce: /);
    await assertQuiet(stack);
    assert.equal(partnerCenterApiCalls(stack, 'PATCH'), patches, "Microsoft's changes are not echoed back to Partner Center");
    assert.equal(stack.org.control.deliveries.list().length, deliveries, "the connector's own writes send no sync request");
  });

  it('creates the customer account and contacts it cannot match', async () => {
    const { opportunityId: id } = await shared({
      name: 'Fourth Coffee - loyalty app',
      customer: { name: 'Fourth Coffee', country: 'AU', city: 'Sydney', postalCode: '2000', addressLine1: '1 George St', contacts: [{ firstName: 'Mia', lastName: 'Chen', email: 'mia.chen@fourthcoffee.example' }] },
      dealValue: 40_000,
      currency: 'AUD',
    });
    const account = record(stack, String(record(stack, id).AccountId));
    assert.equal(account.Name, 'Fourth Coffee');
    assert.equal(account.BillingPostalCode, '2000');
    assert.equal(account.BillingCountry, 'AU');
    const roles = contactRoles(id);
    assert.deepEqual(roles.map((r) => [(r.Contact as Row).Email, (r.Contact as Row).AccountId, r.IsPrimary]), [['mia.chen@fourthcoffee.example', account.Id, true]]);
    await assertQuiet(stack);
  });

  it('declines a referral the seller closes as lost while it is on hold', async () => {
    const { referralId, opportunityId: id } = await shared({ name: 'Proseware - not for us', customer: { name: 'Proseware', country: 'US', postalCode: '10001' }, dealValue: 1000 });
    await update(stack.seller, 'Opportunity', id, { StageName: LOST_STAGE });
    await eventually(() => stack.pc.control.referrals.get(referralId).status === 'Closed', 'the decline in Partner Center');
    const referral = stack.pc.control.referrals.get(referralId);
    assert.equal(referral.substatus, 'Declined');
    const row = await eventually(() => record(stack, id).Partner_Center_Status__c === 'Closed - Declined' && record(stack, id), 'the status on the opportunity');
    assert.equal(row.StageName, LOST_STAGE);
    await assertQuiet(stack);
  });

  async function accepted(name: string, company: string): Promise<{ referralId: string; opportunityId: string }> {
    const deal = await shared({ name, customer: { name: company, country: 'US', postalCode: '98052' } });
    await update(stack.seller, 'Opportunity', deal.opportunityId, { StageName: ACTIVE_STAGE });
    await eventually(() => record(stack, deal.opportunityId).Partner_Center_Status__c === 'Active - Accepted', `the acceptance of ${name}`);
    await settled(stack);
    return deal;
  }

  it('moves the opportunity to the won stage when Microsoft closes the referral as won', async () => {
    const { referralId, opportunityId: id } = await accepted('Litware - won with Microsoft', 'Litware Inc');
    await stack.microsoft.close(referralId, 'Won');
    const row = await eventually(() => record(stack, id).StageName === WON_STAGE && record(stack, id), 'the won stage in Salesforce');
    assert.equal(row.Partner_Center_Status__c, 'Closed - Won');
    assert.equal(stack.pc.control.referrals.get(referralId).substatus, 'Won');
    await assertQuiet(stack);
  });

  it('moves the opportunity to the lost stage when Microsoft closes the referral as lost', async () => {
    const { referralId, opportunityId: id } = await accepted('Adatum - lost to a competitor', 'Adatum Corporation');
    const patches = partnerCenterApiCalls(stack, 'PATCH');
    await stack.microsoft.close(referralId, 'Lost', 'Customer chose another vendor');
    const row = await eventually(() => record(stack, id).StageName === LOST_STAGE && record(stack, id), 'the lost stage in Salesforce');
    assert.equal(row.Partner_Center_Status__c, 'Closed - Lost');
    await assertQuiet(stack);
    const referral = stack.pc.control.referrals.get(referralId);
    assert.deepEqual([referral.status, referral.substatus, referral.statusReason], ['Closed', 'Lost', 'Customer chose another vendor']);
    assert.equal(partnerCenterApiCalls(stack, 'PATCH'), patches, 'the stage Partner Center set is not sent back');
  });

  it('a status the connector does not know (the docs list None) is logged and parked, naming the referral and the value, once', async () => {
    const { referralId, opportunityId: id } = await accepted('Tailspin - status None', 'Tailspin Toys');
    const before = record(stack, id);
    const deadBefore = (await stack.connector.store.listDeadLetters({ kind: 'inbound' })).length;
    await stack.microsoft.report(referralId, { status: 'None', substatus: 'None' });
    const dead = await eventually(async () => {
      const letters = await stack.connector.store.listDeadLetters({ kind: 'inbound' });
      return letters.length > deadBefore && letters;
    }, 'the parked referral');
    const letter = dead.find((d) => d.payload.referralId === referralId)!;
    assert.ok(letter, 'the dead letter is the referral with the unknown value');
    assert.equal(letter.lastError?.code, 'UNKNOWN_VALUE');
    assert.match(letter.lastError?.message ?? '', new RegExp(`Referral "Tailspin - status None" \\(${referralId}\\) has status "None" \\(known: New, Active, Closed\\); substatus "None"`));
    await assertQuiet(stack);
    assert.equal((await stack.connector.store.listDeadLetters({ kind: 'inbound' })).length, deadBefore + 1, 'parked once, not retried in a loop');
    const after = record(stack, id);
    assert.equal(after.StageName, before.StageName, 'nothing was changed in Salesforce');
    assert.equal(after.Partner_Center_Status__c, before.Partner_Center_Status__c);
  });
});
