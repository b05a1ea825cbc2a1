import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Referral } from '../model/referral.js';
import { InputError } from './field-errors.js';
import { opportunity, referral, settings as loadSettings } from './fixtures/load.js';
import { fingerprintInbound, fingerprintOutbound } from './fingerprint.js';
import { mapInbound, type InboundPlan, type InboundResult } from './inbound.js';
import { classifyReferral } from './referral-kind.js';

const settings = loadSettings('configured');

function plan(result: InboundResult): InboundPlan {
  assert.ok('action' in result, JSON.stringify(result));
  return result;
}

test('a referral shared by Microsoft becomes an opportunity on hold with sync on', () => {
  assert.deepEqual(mapInbound(referral('incoming-new'), settings), {
    action: 'create',
    reason: 'Referral "Northwind data platform" (7f3e2d1c-5b4a-4c3d-8e9f-102030405060) shared by Microsoft becomes a new opportunity in stage "Partner Center - On Hold"; account "Northwind Traders" created.',
    opportunity: {
      Name: 'Northwind data platform',
      Amount: 80000,
      CurrencyIsoCode: 'USD',
      CloseDate: '2026-06-30',
      Description: 'Customer wants a Fabric pilot.',
      Microsoft_Help__c: 'GeneralOrOther',
      Visible_To_Microsoft_Sellers__c: true,
      StageName: 'Partner Center - On Hold',
      Sync_With_Partner_Center__c: true,
      Referral_Id__c: '7f3e2d1c-5b4a-4c3d-8e9f-102030405060',
      Referral_Link__c: 'https://partner.microsoft.com/dashboard/referrals/v2/opportunities/7f3e2d1c-5b4a-4c3d-8e9f-102030405060',
      Partner_Center_Status__c: 'New - Pending',
    },
    account: {
      Name: 'Northwind Traders',
      BillingStreet: '1 Harbour Rd',
      BillingCity: 'Seattle',
      BillingState: 'WA',
      BillingPostalCode: '98 101',
      BillingCountry: 'US',
    },
    contacts: [
      { FirstName: 'Maria', LastName: 'Garcia', Email: 'Maria.Garcia@northwind.example', Title: 'CDO' },
      { FirstName: 'Tom', LastName: 'Lee', Email: 'tom.lee@northwind.example', Phone: '+1 206 555 0100', Title: 'Data Lead' },
    ],
    solutions: [{ Solution_Id__c: '8d0e2f7a-1111-4c2b-9d3e-abcdefabcdef', Solution_Name__c: 'Microsoft Fabric', Publisher_Name__c: 'Microsoft' }],
    lead: null,
    event: 'arrive',
  });
});

test('the account is matched by company name and postal code, ignoring case and whitespace', () => {
  const accountMatches = [
    { Id: '001Dn00000WRONG1AB', Name: 'Northwind Traders', BillingPostalCode: '98052' },
    { Id: '001Dn00000N0r7wIAB', Name: 'NORTHWIND traders ', BillingPostalCode: '98101' },
  ];
  const result = plan(mapInbound(referral('incoming-new'), settings, { accountMatches }));
  assert.deepEqual(result.account, { Id: '001Dn00000N0r7wIAB' });
  assert.equal(result.opportunity?.AccountId, '001Dn00000N0r7wIAB');
  assert.match(result.reason, /account matched to Account "NORTHWIND traders" \(001Dn00000N0r7wIAB\)/);
  assert.equal(result.contacts[0].AccountId, '001Dn00000N0r7wIAB');
});

test('contacts are matched by email, else created', () => {
  const contactsByEmail = { 'maria.garcia@northwind.example': { Id: '003Dn00000N1a2bIAB', Email: 'maria.garcia@northwind.example' } };
  const result = plan(mapInbound(referral('incoming-new'), settings, { contactsByEmail }));
  assert.deepEqual(result.contacts[0], { Id: '003Dn00000N1a2bIAB', Email: 'maria.garcia@northwind.example' });
  assert.equal(result.contacts[1].Id, undefined);
  assert.equal(result.contacts[1].Email, 'tom.lee@northwind.example');
});

test('the country goes to the configured field; deal value and currency to theirs', () => {
  const result = plan(mapInbound(referral('incoming-new'), loadSettings('custom-fields')));
  assert.equal(result.account?.Country_Code__c, 'US');
  assert.equal(result.opportunity?.Expected_Revenue__c, 80000);
  assert.equal(result.opportunity?.Deal_Currency__c, 'USD');
  assert.equal('Amount' in (result.opportunity ?? {}), false);
});

test('without multi-currency the currency field is not written', () => {
  const result = plan(mapInbound(referral('incoming-new'), settings, {}, { org: { multiCurrency: false, orgCurrency: 'USD' } }));
  assert.equal('CurrencyIsoCode' in (result.opportunity ?? {}), false);
});

test('a referral already closed on arrival lands in the won or lost stage', () => {
  assert.equal(plan(mapInbound(referral('incoming-closed-won'), settings)).opportunity?.StageName, 'Closed Won');
  assert.equal(plan(mapInbound(referral('incoming-expired'), settings)).opportunity?.StageName, 'Closed Lost');
  const active = plan(mapInbound(referral('incoming-active'), settings));
  assert.equal(active.opportunity?.StageName, 'Qualification');
  assert.equal(active.opportunity?.Partner_Center_Status__c, 'Active - Accepted');
});

test('a missing closing date falls back to the expiration date', () => {
  assert.equal(plan(mapInbound(referral('incoming-no-closing-date'), settings)).opportunity?.CloseDate, '2026-03-15');
  const none = referral('incoming-no-closing-date');
  delete none.expirationDateTime;
  delete none.createdDateTime;
  const result = mapInbound(none, settings);
  assert.ok('errors' in result);
  assert.equal(result.errors[0].field, 'Opportunity.CloseDate');
});

test('a missing on-hold stage setting is an admin error naming the setting', () => {
  const result = mapInbound(referral('incoming-new'), { ...settings, onHoldStageName: null });
  assert.ok('errors' in result);
  assert.equal(result.errors[0].field, 'Partner_Center_Settings__c.On_Hold_Stage_Name__c');
  assert.match(result.errors[0].message, /no on-hold stage name is set — choose the On-hold stage name in Partner Center setup/);
});

test('marketplace and qualified leads are skipped when syncing co-sell only', () => {
  for (const name of ['marketplace-lead', 'qualified-lead']) {
    const result = plan(mapInbound(referral(name), settings));
    assert.equal(result.action, 'skip');
    assert.match(result.reason, /is not imported because "Sync co-sell opportunities only" is on — turn it off in Partner Center setup/);
  }
});

test('marketplace leads become Leads when co-sell only is off; the referral id goes in Description', () => {
  const result = plan(mapInbound(referral('marketplace-lead'), loadSettings('custom-fields')));
  assert.equal(result.action, 'create');
  assert.equal(result.opportunity, null);
  assert.deepEqual(result.lead, {
    FirstName: 'Sam',
    LastName: 'Rivera',
    Company: 'Adatum Corp',
    Email: 'sam.rivera@adatum.example',
    Phone: '+1 512 555 0199',
    Title: 'IT Manager',
    Street: '500 Congress Ave',
    City: 'Austin',
    PostalCode: '73301',
    Country: 'US',
    Description: 'Partner Center referral 0c0c0c0c-1111-4222-8333-444455556666 (Marketplace)\n\nInterested in Fabrikam Migration Factory trial.',
    LeadSource: 'Partner Referral',
  });
  const again = plan(mapInbound(referral('marketplace-lead'), loadSettings('custom-fields'), { leadId: '00QDn00000L1e2aIAB' }));
  assert.equal(again.action, 'skip');
  assert.match(again.reason, /already imported as Lead 00QDn00000L1e2aIAB/);
});

test('referral kinds follow type, qualification and invitedBy', () => {
  assert.equal(classifyReferral(referral('marketplace-lead')), 'marketplaceLead');
  assert.equal(classifyReferral(referral('qualified-lead')), 'qualifiedLead');
  assert.equal(classifyReferral(referral('incoming-new')), 'coSell');
  assert.equal(classifyReferral({ type: 'Independent', qualification: 'SalesQualified', inviteContext: { invitedBy: { organizationId: 'partner-org' } } }), 'coSell');
  assert.equal(classifyReferral({ type: 'Independent', qualification: 'Direct', inviteContext: { invitedBy: { organizationId: 'partner-org' } } }), 'coSell');
});

test('a referral whose opportunity was deleted is reported, never recreated', () => {
  const result = plan(mapInbound(referral('incoming-active'), settings, { opportunity: opportunity('incoming-deleted') }));
  assert.equal(result.action, 'skip');
  assert.equal(result.opportunity, null);
  assert.match(result.reason, /belongs to Opportunity "Northwind data platform" \(006Dn00000N0r7wIAB\), which was deleted in Salesforce; it is not recreated — restore the opportunity from the Recycle Bin/);
  const ours = plan(mapInbound(referral('created-co-sell'), settings));
  assert.equal(ours.action, 'skip');
  assert.match(ours.reason, /was created from Opportunity 006Dn00000A1b2cIAB, which was not found in Salesforce/);
  assert.match(plan(mapInbound(referral('outgoing-portal-created'), settings)).reason, /created by your organisation in the Partner Center portal/);
});

test('updates from Microsoft: deal value, close date, notes, Microsoft CRM id, contacts, solutions', () => {
  const result = plan(mapInbound(referral('incoming-active-updated'), settings, { opportunity: opportunity('incoming-accepted') }));
  assert.equal(result.action, 'update');
  assert.deepEqual(result.opportunity, {
    Id: '006Dn00000N0r7wIAB',
    Amount: 110000,
    CloseDate: '2026-07-31',
    Description: 'Pilot approved by the customer.',
    Microsoft_CRM_Id__c: '7-NW0000042',
  });
  assert.deepEqual(result.contacts.map((c) => c.Email), ['tom.lee@northwind.example', 'lena.park@northwind.example']);
  assert.deepEqual(result.solutions, [
    { Opportunity__c: '006Dn00000N0r7wIAB', Solution_Id__c: 'SOL-77777-AZD', Solution_Name__c: 'Northwind Analytics Accelerator', Publisher_Name__c: 'Fabrikam' },
  ]);
});

test('accepted in the Partner Center portal while on hold: the opportunity moves to the active stage', () => {
  const result = plan(mapInbound(referral('incoming-active'), settings, { opportunity: opportunity('incoming-on-hold') }));
  assert.equal(result.opportunity?.StageName, 'Qualification');
  assert.equal(result.opportunity?.Partner_Center_Status__c, 'Active - Accepted');
  assert.equal(result.event, 'accept');
});

test('expired in Partner Center: the opportunity moves to the lost stage', () => {
  const result = plan(mapInbound(referral('incoming-expired'), settings, { opportunity: opportunity('incoming-on-hold') }));
  assert.equal(result.opportunity?.StageName, 'Closed Lost');
  assert.equal(result.opportunity?.Partner_Center_Status__c, 'Closed - Expired');
  assert.equal(result.event, 'expire');
});

test("a seller's closed stage is kept and the disagreement noted", () => {
  const result = plan(mapInbound(referral('incoming-closed-lost'), settings, { opportunity: opportunity('incoming-accepted-closed-won') }));
  assert.equal(result.opportunity?.StageName, undefined);
  assert.match(result.notes?.[0] ?? '', /seller closed the opportunity as won; the Salesforce stage is kept/);
});

test('an outgoing referral never rewrites what Salesforce owns', () => {
  const result = plan(mapInbound(referral('created-co-sell-updated-by-microsoft'), settings, { opportunity: opportunity('linked-co-sell') }));
  assert.equal(result.action, 'update');
  assert.equal(result.opportunity?.Name, undefined, 'name belongs to Salesforce for outgoing deals');
  assert.equal(result.opportunity?.Amount, 135000);
  assert.equal(result.opportunity?.Description, 'Microsoft FastTrack engaged.');
  assert.equal(result.opportunity?.Microsoft_CRM_Id__c, '7-1A2B3C4D5E');
});

test("echo: the connector's own write coming back as a webhook is skipped", () => {
  const opp = opportunity('incoming-accepted');
  const ref = referral('incoming-active-updated');
  const lastSynced = { salesforce: fingerprintOutbound(opp, settings), partnerCenter: fingerprintInbound(ref) };
  const reformatted: Referral = { ...structuredClone(ref), eTag: '"later"', updatedDateTime: '2026-03-09T00:00:00Z' };
  const result = plan(mapInbound(reformatted, settings, { opportunity: opp, lastSynced }));
  assert.equal(result.action, 'skip');
  assert.match(result.reason, /no synced field changed in Partner Center since the last sync/);
});

test('an absent Partner Center value never blanks a Salesforce field', () => {
  const ref = referral('incoming-active');
  delete ref.details!.dealValue;
  delete ref.details!.notes;
  const result = plan(mapInbound(ref, settings, { opportunity: opportunity('incoming-accepted') }));
  assert.equal(result.action, 'update', 'the new contact Tom Lee still comes in');
  assert.equal('Amount' in (result.opportunity ?? {}), false);
  assert.equal('Description' in (result.opportunity ?? {}), false);
});

test('nothing to change: skip with a reason', () => {
  const result = plan(mapInbound(referral('incoming-new'), settings, { opportunity: opportunity('incoming-on-hold'), contactsByEmail: {} }));
  assert.equal(result.action, 'update', 'Tom Lee is not on the opportunity yet');
  const synced = plan(mapInbound(referral('created-co-sell'), settings, { opportunity: opportunity('linked-co-sell') }));
  assert.equal(synced.action, 'skip');
  assert.match(synced.reason, /already has everything Partner Center may change/);
});

test('a referral without an id is a caller error', () => {
  assert.throws(() => mapInbound({ name: 'x' }, settings), InputError);
});

test('a create that stopped after the opportunity was written is completed: contacts and solutions are added', () => {
  // The connector wrote the opportunity (so it is newer than the referral), then stopped before adding its
  // contact roles and solutions and before recording a baseline.
  const written = { ...opportunity('incoming-accepted'), LastModifiedDate: '2026-03-10T10:00:00.000+0000', OpportunityContactRoles: null, Microsoft_Solutions__r: null };
  const result = plan(mapInbound(referral('incoming-active'), settings, { opportunity: written }));
  assert.deepEqual(result.contacts.map((c) => String(c.Email).toLowerCase()), ['maria.garcia@northwind.example', 'tom.lee@northwind.example']);
  assert.deepEqual(result.solutions.map((s) => s.Solution_Id__c), ['8d0e2f7a-1111-4c2b-9d3e-abcdefabcdef']);
});

test("no baseline: the connector's own unrecorded create does not outvote a Microsoft edit made before it", () => {
  // Chaos run: the connector created the opportunity from an accepted referral and was SIGKILLed before recording
  // the baseline; the referral's deal value had been changed by a Microsoft seller a moment before the create.
  const ref = { ...referral('incoming-active'), updatedDateTime: '2026-03-01T09:00:00Z' };
  ref.details = { ...ref.details, dealValue: 64000 };
  const integration = '005Dn00000INTEGR';
  const opp = { ...opportunity('incoming-accepted'), CreatedById: integration, LastModifiedById: integration, LastModifiedDate: '2026-03-01T10:00:00.000+0000' };
  assert.equal(plan(mapInbound(ref, settings, { opportunity: opp })).opportunity?.Amount, 64000);
  // A seller who edited it since is a real change: the later write (the seller's) still wins.
  const edited = { ...opp, LastModifiedById: '005Dn000001AbCdIAK' };
  assert.equal(plan(mapInbound(ref, settings, { opportunity: edited })).opportunity?.Amount, undefined);
});
