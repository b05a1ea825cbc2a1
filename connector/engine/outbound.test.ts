import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import type { Referral } from '../model/referral.js';
import { dealFieldsFromOpportunity, dealFieldsFromReferral, sameField, type SyncField } from './deal-fields.js';
import { InputError, type FieldError } from './field-errors.js';
import { opportunity, readFixture, referral, settings as loadSettings } from './fixtures/load.js';
import { fingerprintInbound, fingerprintOutbound } from './fingerprint.js';
import { connectedReferralBody, mapOutbound, type OutboundResult } from './outbound.js';
import type { OpportunityRecord } from './salesforce-records.js';

const settings = loadSettings('configured');

function created(result: OutboundResult): Referral {
  assert.ok('operation' in result && result.operation === 'create', JSON.stringify(result));
  return result.referral;
}

function errorsOf(result: OutboundResult): FieldError[] {
  assert.ok('errors' in result, JSON.stringify(result));
  return result.errors;
}

function update(result: OutboundResult) {
  assert.ok('operation' in result && result.operation === 'update', JSON.stringify(result));
  return result;
}

test('co-sell: the create body mirrors the documented co-sell referral', () => {
  assert.deepEqual(mapOutbound(opportunity('co-sell'), settings), readFixture('expected/co-sell-create.json'));
});

test('private: Independent, not shared, no invitation; needs neither contact nor solution', () => {
  const body = created(mapOutbound(opportunity('private'), settings));
  assert.equal(body.type, 'Independent');
  assert.deepEqual(body.consent, { consentToShareReferralWithMicrosoftSellers: false });
  assert.equal(body.inviteContext, undefined);
  // As the private-deal sample of "Create a referral": an empty target list.
  assert.deepEqual(body.target, []);
  assert.deepEqual(body.customerProfile?.team, []);
});

test('partner-led: Independent and shared with Microsoft sellers', () => {
  const body = created(mapOutbound(opportunity('partner-led'), settings));
  assert.equal(body.type, 'Independent');
  assert.deepEqual(body.consent, { consentToShareReferralWithMicrosoftSellers: true });
  assert.equal(body.inviteContext, undefined);
});

test('co-sell: help implies visibility, primary contact first, UTC-midnight closing date', () => {
  const opp = opportunity('co-sell');
  opp.Visible_To_Microsoft_Sellers__c = false;
  const body = created(mapOutbound(opp, settings));
  assert.equal(body.type, 'Shared');
  assert.equal(body.consent?.consentToShareReferralWithMicrosoftSellers, true);
  assert.equal(body.customerProfile?.team?.[0].email, 'anna.schmidt@contoso.example');
  assert.equal(body.details?.closingDateTime, '2026-09-30T00:00:00Z');
  // "Create your referral": the partner's own shared referral targets its solution profile, never Microsoft.
  assert.deepEqual(body.target, [{ type: 'SolutionProfile', id: 'SOL-34104-EBB' }]);
});

test('co-sell: the connected referral for Microsoft carries the engagementId and the msft target, as documented', () => {
  const own = { ...referral('created-co-sell'), engagementId: 'eng-1', links: { self: { uri: 'x' } }, eTag: '"e"' };
  const body = connectedReferralBody(own);
  assert.equal(body.engagementId, 'eng-1');
  assert.deepEqual(body.target, [{ type: 'BusinessProfileLocation', id: 'msft' }]);
  assert.equal(body.type, 'Shared');
  assert.equal(body.externalReferenceId, own.externalReferenceId);
  assert.deepEqual(body.details, own.details);
  // Server-owned fields of the partner's referral are not sent.
  for (const field of ['id', 'eTag', 'links', 'status', 'createdDateTime'] as const) assert.equal(body[field], undefined, field);
  assert.throws(() => connectedReferralBody({ ...own, engagementId: undefined }), /no engagementId/);
});

test('sync off: nothing is sent', () => {
  assert.deepEqual(mapOutbound(opportunity('sync-off'), settings), { operation: 'none', reason: 'Sync with Partner Center is off for this opportunity.' });
});

test('country names in any language and codes in any case become ISO 3166 alpha-2', () => {
  for (const name of ['country-deutschland', 'country-allemagne', 'country-lowercase-code']) {
    assert.equal(created(mapOutbound(opportunity(name), settings)).customerProfile?.address?.country, 'DE', name);
  }
});

test('configured deal value, currency and country fields are read', () => {
  const body = created(mapOutbound(opportunity('custom-fields'), loadSettings('custom-fields')));
  assert.equal(body.details?.dealValue, 5000.5);
  assert.equal(body.details?.currency, 'USD');
  assert.equal(body.customerProfile?.address?.country, 'DE');
});

test('without multi-currency the org currency is used', () => {
  const opp = opportunity('co-sell');
  delete opp.CurrencyIsoCode;
  const body = created(mapOutbound(opp, settings, undefined, { org: { multiCurrency: false, orgCurrency: 'CHF' } }));
  assert.equal(body.details?.currency, 'CHF');
  const missing = errorsOf(mapOutbound(opp, settings, undefined, { org: { multiCurrency: false } }));
  assert.match(missing[0].message, /no multi-currency and no corporate currency/);
});

const ERROR_CASES: [fixture: string, field: string, message: RegExp][] = [
  ['country-missing', 'Account.BillingCountry', /^Opportunity "Contoso cloud migration" \(006Dn00000A1b2cIAB\): customer account country code is missing on Account "Contoso GmbH" \(001Dn00000X9y8zIAB\) — set Billing Country to a two-letter code such as DE\.$/],
  ['country-unknown', 'Account.BillingCountry', /"Atlantis" in Billing Country on Account "Contoso GmbH" \(001Dn00000X9y8zIAB\) is not a country Partner Center recognises — set Billing Country to a two-letter code such as DE\./],
  ['co-sell-no-contact', 'OpportunityContactRoles', /asks Microsoft for help, and a co-sell request needs a customer contact — add the customer's contact to Contact Roles\./],
  ['co-sell-contact-without-email', 'OpportunityContactRoles', /needs a customer contact with an email — add an email to a contact in Contact Roles\./],
  ['co-sell-no-solution', 'Microsoft_Solutions__r', /is shared with Microsoft, which needs at least one Microsoft solution — add a solution on the Microsoft Partner Center card\./],
  ['partner-led-no-solution', 'Microsoft_Solutions__r', /^Opportunity "Contoso partner-led expansion" \(006Dn00000A1b2cIAB\) is shared with Microsoft, which needs at least one Microsoft solution/],
  ['currency-invalid', 'Opportunity.CurrencyIsoCode', /"EURO" in Opportunity Currency is not an ISO 4217 currency code — set Opportunity Currency to a code such as EUR\./],
  ['close-date-missing', 'Opportunity.CloseDate', /has no valid close date — set Close Date\./],
  ['name-missing', 'Opportunity.Name', /^Opportunity \(006Dn00000A1b2cIAB\) has no name — enter an Opportunity Name\.$/],
  ['account-missing', 'Opportunity.AccountId', /has no customer account — choose the customer in Account Name\./],
  ['amount-missing', 'Opportunity.Amount', /deal value is missing — enter Amount\./],
  ['help-unknown', 'Opportunity.Microsoft_Help__c', /"Unknown" is not a way Microsoft can help — choose one of GeneralOrOther, .* or leave it blank\./],
];

for (const [fixture, field, message] of ERROR_CASES) {
  test(`error: ${fixture} names the record, the field and the fix`, () => {
    const errors = errorsOf(mapOutbound(opportunity(fixture), settings));
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].field, field);
    assert.match(errors[0].message, message);
  });
}

test('errors in configured fields name those fields', () => {
  const opp = opportunity('custom-fields');
  Object.assign(opp, { Expected_Revenue__c: -5, Deal_Currency__c: 'ABC' });
  opp.Account = { ...opp.Account, Country_Code__c: null };
  const errors = errorsOf(mapOutbound(opp, loadSettings('custom-fields')));
  assert.deepEqual(errors.map((e) => e.field), ['Account.Country_Code__c', 'Opportunity.Expected_Revenue__c', 'Opportunity.Deal_Currency__c']);
  assert.match(errors[0].message, /set Country Code to a two-letter code such as DE/);
  assert.match(errors[1].message, /deal value -5 in Expected Revenue is negative — enter 0 or more\./);
  assert.match(errors[2].message, /"ABC" in Deal Currency is not an ISO 4217 currency code/);
});

test('all problems are reported together', () => {
  const opp = opportunity('co-sell');
  Object.assign(opp, { CloseDate: null, CurrencyIsoCode: 'EURO', OpportunityContactRoles: null });
  assert.deepEqual(errorsOf(mapOutbound(opp, settings)).map((e) => e.field), ['Opportunity.CloseDate', 'Opportunity.CurrencyIsoCode', 'OpportunityContactRoles']);
});

test('an opportunity already linked needs its current referral', () => {
  assert.throws(() => mapOutbound(opportunity('linked-co-sell'), settings), InputError);
  assert.throws(() => mapOutbound(opportunity('linked-co-sell'), settings, { name: 'no id' }), InputError);
});

test('update: nothing changed, nothing sent', () => {
  assert.deepEqual(mapOutbound(opportunity('linked-co-sell'), settings, referral('created-co-sell')), { operation: 'none', reason: 'The referral already matches the opportunity.' });
});

test('update: a minimal patch of replace ops for the edited fields, with If-Match', () => {
  assert.deepEqual(mapOutbound(opportunity('linked-co-sell-edited'), settings, referral('created-co-sell')), {
    operation: 'update',
    referralId: '4d1b1a52-7a3c-4e2b-9b7e-0c5b0f1e2a01',
    ifMatch: '"0400a1f2-0000-0800-0000-65e2f0a20000"',
    patch: [
      { op: 'replace', path: '/details/dealValue', value: 150000 },
      { op: 'replace', path: '/details/closingDateTime', value: '2026-10-31T00:00:00Z' },
      { op: 'replace', path: '/details/notes', value: 'Scope grew to 55 apps.' },
    ],
    fields: ['dealValue', 'closeDate', 'notes'],
  });
});

test('win: Closed/Won', () => {
  const result = update(mapOutbound(opportunity('linked-closed-won'), settings, referral('created-co-sell')));
  assert.deepEqual(result.patch, [
    { op: 'replace', path: '/status', value: 'Closed' },
    { op: 'replace', path: '/substatus', value: 'Won' },
  ]);
  assert.equal(result.event, 'win');
});

test('loss: Closed/Lost with the stage as status reason', () => {
  const result = update(mapOutbound(opportunity('linked-closed-lost'), settings, referral('created-co-sell')));
  assert.deepEqual(result.patch, [
    { op: 'replace', path: '/status', value: 'Closed' },
    { op: 'replace', path: '/substatus', value: 'Lost' },
    { op: 'replace', path: '/statusReason', value: 'Lost in Salesforce (stage Closed Lost)' },
  ]);
  assert.equal(result.event, 'lose');
});

test('a private deal becoming co-sell: shared, Microsoft invited, requirements added', () => {
  const result = update(mapOutbound(opportunity('linked-private-now-co-sell'), settings, referral('created-private')));
  assert.deepEqual(result.fields, ['customerContacts', 'solutions', 'help', 'visibility']);
  const ops = new Map(result.patch.map((op) => [op.path, op]));
  assert.deepEqual(ops.get('/inviteContext'), { op: 'add', path: '/inviteContext', value: { assistanceRequestCode: 'CustomerTechnicalArchitecture' } });
  assert.deepEqual(ops.get('/type'), { op: 'replace', path: '/type', value: 'Shared' });
  // Microsoft is invited by a second, connected referral (sync/co-sell-share.ts), not by a target on ours.
  assert.equal(ops.get('/target'), undefined);
  assert.deepEqual(ops.get('/consent/consentToShareReferralWithMicrosoftSellers'), { op: 'replace', path: '/consent/consentToShareReferralWithMicrosoftSellers', value: true });
  assert.equal(ops.get('/details/requirements')?.op, 'add');
  assert.equal(ops.get('/customerProfile/team')?.op, 'replace');
});

test('help cannot be withdrawn from a co-sell request', () => {
  const [error] = errorsOf(mapOutbound(opportunity('linked-help-removed'), settings, referral('created-co-sell')));
  assert.equal(error.field, 'Opportunity.Microsoft_Help__c');
  assert.match(error.message, /already a co-sell request shared with Microsoft \(help: CustomerTechnicalArchitecture\); help can be changed but not removed — choose an option in How can Microsoft help\? again\./);
});

test('sharing with Microsoft sellers cannot be withdrawn', () => {
  const shared = referral('created-private');
  shared.consent = { consentToShareReferralWithMicrosoftSellers: true };
  const [error] = errorsOf(mapOutbound(opportunity('linked-partner-led-hidden'), settings, shared));
  assert.equal(error.field, 'Opportunity.Visible_To_Microsoft_Sellers__c');
  assert.match(error.message, /already shared with Microsoft sellers and sharing cannot be withdrawn — tick Visible To Microsoft Sellers again\./);
});

test('a co-sell update that drops the last solution or contact is refused', () => {
  const opp = opportunity('linked-co-sell');
  opp.Microsoft_Solutions__r = null;
  assert.deepEqual(errorsOf(mapOutbound(opp, settings, referral('created-co-sell'))).map((e) => e.field), ['Microsoft_Solutions__r']);
  const noContacts = opportunity('linked-co-sell');
  noContacts.OpportunityContactRoles = null;
  assert.deepEqual(errorsOf(mapOutbound(noContacts, settings, referral('created-co-sell'))).map((e) => e.field), ['OpportunityContactRoles']);
});

test('incoming referral on hold: edits do not sync', () => {
  const opp = opportunity('incoming-on-hold');
  opp.Amount = 1;
  const result = mapOutbound(opp, settings, referral('incoming-new'));
  assert.equal('operation' in result && result.operation, 'none');
  assert.match('reason' in result ? result.reason : '', /on-hold stage "Partner Center - On Hold"/);
});

test('accept: moving out of on hold accepts and links the opportunity; on-hold edits stay behind', () => {
  const result = update(mapOutbound(opportunity('incoming-moved-to-active'), settings, referral('incoming-new')));
  assert.deepEqual(result.patch, [
    { op: 'replace', path: '/externalReferenceId', value: '006Dn00000N0r7wIAB' },
    { op: 'replace', path: '/status', value: 'Active' },
    { op: 'replace', path: '/substatus', value: 'Accepted' },
  ]);
  assert.equal(result.event, 'accept');
  assert.equal(update(mapOutbound(opportunity('incoming-moved-to-open'), settings, referral('incoming-new'))).event, 'accept');
});

test('decline: closed lost while on hold', () => {
  const result = update(mapOutbound(opportunity('incoming-closed-lost-on-hold'), settings, referral('incoming-new')));
  assert.equal(result.event, 'decline');
  assert.deepEqual(result.patch.slice(-3), [
    { op: 'replace', path: '/status', value: 'Closed' },
    { op: 'replace', path: '/substatus', value: 'Declined' },
    { op: 'replace', path: '/statusReason', value: 'Declined in Salesforce (stage Closed Lost)' },
  ]);
});

test('won straight from on hold: New → Closed/Won, which STATUS_RULES allows', () => {
  const result = update(mapOutbound(opportunity('incoming-closed-won-on-hold'), settings, referral('incoming-new')));
  assert.equal(result.event, 'win');
  assert.deepEqual(result.patch.slice(-2), [
    { op: 'replace', path: '/status', value: 'Closed' },
    { op: 'replace', path: '/substatus', value: 'Won' },
  ]);
});

test('after acceptance, seller edits to shared fields sync', () => {
  const opp = opportunity('incoming-accepted');
  opp.Amount = 91000;
  const result = update(mapOutbound(opp, settings, referral('incoming-active'), { lastSynced: { salesforce: fingerprintOutbound(opportunity('incoming-accepted'), settings), partnerCenter: fingerprintInbound(referral('incoming-active')) } }));
  assert.deepEqual(result.patch, [
    { op: 'replace', path: '/details/dealValue', value: 91000 },
    { op: 'replace', path: '/externalReferenceId', value: '006Dn00000N0r7wIAB' },
  ]);
});

test('a referral expired in Partner Center cannot be reopened from Salesforce', () => {
  const [error] = errorsOf(mapOutbound(opportunity('incoming-reopened'), settings, referral('incoming-expired')));
  assert.equal(error.field, 'Opportunity.StageName');
  assert.match(error.message, /already Closed - Expired in Partner Center and cannot change to match stage "Qualification" — set Stage back to "Closed Lost"/);
});

test('edits to a closed referral are not sent', () => {
  const closed = referral('created-co-sell');
  Object.assign(closed, { status: 'Closed', substatus: 'Won' });
  const opp = opportunity('linked-closed-won');
  opp.Amount = 1;
  const result = mapOutbound(opp, settings, closed);
  assert.equal('operation' in result && result.operation, 'none');
});

test('echo: with nothing changed since the last sync only a stage move is sent', () => {
  const opp = opportunity('linked-co-sell');
  const current = referral('created-co-sell');
  const lastSynced = { salesforce: fingerprintOutbound(opp, settings), partnerCenter: fingerprintInbound(current) };
  current.details!.dealValue = 1; // drifted in Partner Center; Salesforce did not change
  assert.deepEqual(mapOutbound(opp, settings, current, { lastSynced }), { operation: 'none', reason: 'No synced field changed in Salesforce since the last sync.' });
  // Created while already closed: the follow-up mapping still closes the referral.
  const closed = opportunity('linked-closed-won');
  const afterCreate = { salesforce: fingerprintOutbound(closed, settings), partnerCenter: fingerprintInbound(referral('created-co-sell')) };
  assert.equal(update(mapOutbound(closed, settings, referral('created-co-sell'), { lastSynced: afterCreate })).event, 'win');
});

// Paths a patch may touch; everything else (ids, status owned by Microsoft, trackingInfo, links, ...) never.
const PATH_FIELDS: Record<string, SyncField> = {
  '/name': 'name',
  '/details/dealValue': 'dealValue',
  '/details/currency': 'currency',
  '/details/closingDateTime': 'closeDate',
  '/details/notes': 'notes',
  '/customerProfile/team': 'customerContacts',
  '/details/requirements/solutions': 'solutions',
  '/inviteContext/assistanceRequestCode': 'help',
  '/type': 'help',
  '/target': 'help',
  '/consent/consentToShareReferralWithMicrosoftSellers': 'visibility',
  '/status': 'status',
  '/substatus': 'status',
  '/statusReason': 'status',
};

const edits: fc.Arbitrary<(o: OpportunityRecord) => void>[] = [
  fc.constantFrom('Contoso migration phase 2', 'Contoso: new scope').map((n) => (o) => void (o.Name = n)),
  fc.integer({ min: 0, max: 10_000_000 }).map((v) => (o) => void (o.Amount = v)),
  fc.constantFrom('USD', 'GBP', 'EUR').map((c) => (o) => void (o.CurrencyIsoCode = c)),
  fc.date({ min: new Date('2026-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => (o) => void (o.CloseDate = d.toISOString().slice(0, 10))),
  fc.option(fc.string({ maxLength: 40 }), { nil: null }).map((d) => (o) => void (o.Description = d)),
  fc.constantFrom('GeneralOrOther', 'QuotesOrLicensing').map((h) => (o) => void (o.Microsoft_Help__c = h)),
  fc.stringMatching(/^SOL-\d{5}-[A-Z]{3}$/).map((id) => (o) => void o.Microsoft_Solutions__r!.records.push({ Solution_Id__c: id, Solution_Name__c: 'Generated' })),
  fc.emailAddress().map((email) => (o) => void o.OpportunityContactRoles!.records.push({ IsPrimary: false, Contact: { LastName: 'Added', Email: email } })),
  fc.constantFrom(['Closed Won', true], ['Closed Lost', false]).map(([stage, won]) => (o: OpportunityRecord) => void Object.assign(o, { StageName: stage, IsClosed: true, IsWon: won })),
];

test('property: patches hold only replace/add ops, only on allowed paths whose field changed, and converge', () => {
  const current = referral('created-co-sell');
  fc.assert(
    fc.property(fc.array(fc.oneof(...edits), { maxLength: 5 }), (changes) => {
      const opp = opportunity('linked-co-sell');
      for (const change of changes) change(opp);
      const result = mapOutbound(opp, settings, current);
      assert.ok(!('errors' in result), JSON.stringify(result));
      if (result.operation === 'none') return;
      assert.equal(result.operation, 'update');
      if (result.operation !== 'update') return;
      const sf = dealFieldsFromOpportunity(opp, settings);
      const pc = dealFieldsFromReferral(current);
      for (const op of result.patch) {
        assert.ok(op.op === 'replace' || op.op === 'add', op.op);
        const field = Object.entries(PATH_FIELDS).find(([path]) => op.path === path || path.startsWith(op.path + '/'))?.[1];
        assert.ok(field, `unexpected path ${op.path}`);
        if (field !== 'status') assert.ok(!sameField(field, sf, pc), `${op.path} sent although ${field} did not change`);
      }
      assert.equal(jsonpatch.validate(result.patch, structuredClone(current)), undefined);
      const patched = jsonpatch.applyPatch(structuredClone(current), result.patch, true, false).newDocument;
      const again = mapOutbound(opp, settings, patched);
      assert.equal('operation' in again && again.operation, 'none', JSON.stringify(again));
    }),
    { numRuns: 300 },
  );
});
