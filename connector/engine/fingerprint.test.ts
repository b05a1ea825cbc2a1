import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SYNC_FIELDS } from './deal-fields.js';
import { opportunity, referral, settings as loadSettings } from './fixtures/load.js';
import { NEVER_SYNCED, changedFields, fingerprintInbound, fingerprintOutbound, isEcho, nextBaseline } from './fingerprint.js';
import { mapInbound } from './inbound.js';
import type { OpportunityRecord } from './salesforce-records.js';

const settings = loadSettings('configured');

test('a fingerprint has one hash per sync field and is stable', () => {
  const print = fingerprintOutbound(opportunity('co-sell'), settings);
  assert.deepEqual(Object.keys(print).sort(), [...SYNC_FIELDS].sort());
  assert.deepEqual(fingerprintOutbound(opportunity('co-sell'), settings), print);
});

test("the connector's own writes are echoes: mark, audit, sync status, last sync, Partner Center status", () => {
  const before = opportunity('co-sell');
  const after: OpportunityRecord = {
    ...before,
    Name: '✔ ' + before.Name,
    Partner_Center_Audit__c: 'line',
    Partner_Center_Sync_Status__c: 'Synced',
    Partner_Center_Last_Sync__c: '2026-03-02T09:16:03.000+0000',
    Partner_Center_Status__c: 'Active - Accepted',
    LastModifiedDate: '2026-03-02T09:16:03.000+0000',
    LastModifiedById: '005Dn00000INTEGR',
  };
  assert.ok(isEcho(fingerprintOutbound(after, settings), fingerprintOutbound(before, settings)));
});

test('Partner Center formatting is not a change: extra properties, nulls, case, contact order', () => {
  const created = referral('created-co-sell');
  const reformatted = structuredClone(created);
  reformatted.customerProfile!.team!.reverse();
  reformatted.customerProfile!.team![0].email = reformatted.customerProfile!.team![0].email!.toUpperCase();
  reformatted.details!.requirements!.solutions![0] = { id: 'sol-34104-ebb', name: 'Renamed by catalog' };
  reformatted.details!.currency = 'eur';
  reformatted.eTag = '"other"';
  reformatted.updatedDateTime = '2026-03-03T00:00:00Z';
  assert.ok(isEcho(fingerprintInbound(reformatted), fingerprintInbound(created)));
});

test('changedFields names what changed; with no baseline everything counts as changed', () => {
  const before = fingerprintOutbound(opportunity('linked-co-sell'), settings);
  const after = fingerprintOutbound(opportunity('linked-co-sell-edited'), settings);
  assert.deepEqual(changedFields(after, before), ['dealValue', 'closeDate', 'notes']);
  assert.deepEqual(changedFields(after, undefined), [...SYNC_FIELDS]);
  assert.equal(isEcho(after, undefined), false);
});

// Genuine seller edits, each changing a synced field to a different value.
const edits: fc.Arbitrary<(o: OpportunityRecord) => void>[] = [
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '' && s.trim() !== 'Contoso cloud migration' && !/^[✔✖]/u.test(s.trim())).map((n) => (o) => void (o.Name = n)),
  fc.double({ min: 0, max: 1e9, noNaN: true }).filter((v) => Math.round(v * 100) !== 12000000).map((v) => (o) => void (o.Amount = v)),
  fc.constantFrom('USD', 'GBP', 'JPY', 'CHF').map((c) => (o) => void (o.CurrencyIsoCode = c)),
  fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)).filter((d) => d !== '2026-09-30').map((d) => (o) => void (o.CloseDate = d)),
  fc.string({ minLength: 1, maxLength: 50 }).filter((s) => s.trim() !== '' && s.trim() !== 'Move 40 line-of-business apps to Azure.').map((d) => (o) => void (o.Description = d)),
  fc.emailAddress().filter((e) => !e.toLowerCase().endsWith('@contoso.example')).map((email) => (o) => {
    o.OpportunityContactRoles!.records.push({ IsPrimary: false, Contact: { LastName: 'X', Email: email } });
  }),
  fc.stringMatching(/^SOL-\d{5}-[A-Z]{3}$/).filter((id) => id !== 'SOL-34104-EBB').map((id) => (o) => {
    o.Microsoft_Solutions__r!.records.push({ Solution_Id__c: id });
  }),
  fc.constantFrom('GeneralOrOther', 'ProofOfConceptOrDemo', 'QuotesOrLicensing', null).map((h) => (o) => void (o.Microsoft_Help__c = h)),
  fc.constantFrom('Closed Won', 'Closed Lost', 'Negotiation').map((stage) => (o) => void (o.StageName = stage)),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '').map((id) => (o) => void (o.Microsoft_CRM_Id__c = id)),
  fc.constantFrom('FR', 'Frankreich', 'US').map((c) => (o) => void (o.Account = { ...o.Account, BillingCountry: c })),
];

test('property: echo detection never flags a genuine change', () => {
  const base = opportunity('co-sell');
  const last = fingerprintOutbound(base, settings);
  fc.assert(
    fc.property(fc.array(fc.oneof(...edits), { minLength: 1, maxLength: 4 }), (changes) => {
      const edited = structuredClone(base);
      for (const change of changes) change(edited);
      assert.equal(isEcho(fingerprintOutbound(edited, settings), last), false);
    }),
    { numRuns: 500 },
  );
});

test('after an outbound sync, a Partner Center change the connector did not carry across is still a change', () => {
  const synced = referral('created-co-sell');
  const previous = { salesforce: fingerprintOutbound(opportunity('linked-co-sell'), settings), partnerCenter: fingerprintInbound(synced) };
  // A Microsoft seller changed the notes between the connector's read and its write; Salesforce did not.
  const edited = structuredClone(synced);
  edited.details!.notes = 'Changed by a Microsoft seller';
  const current = { salesforce: previous.salesforce, partnerCenter: fingerprintInbound(edited) };
  const next = nextBaseline(current, previous, 'salesforce');
  assert.deepEqual(changedFields(fingerprintInbound(edited), next.partnerCenter), ['notes'], 'the next inbound sync still sees the notes as changed');
  assert.equal(isEcho(fingerprintInbound(edited), next.partnerCenter), false);
  assert.deepEqual(next.salesforce, current.salesforce, 'the side that was read is synced as it is');
  // Agreeing fields take the current values.
  assert.deepEqual(nextBaseline({ salesforce: current.partnerCenter, partnerCenter: current.partnerCenter }, previous, 'salesforce').partnerCenter, current.partnerCenter);
});

test('the first sync (no baseline yet) does not mark a value it did not carry across as synced', () => {
  // Chaos run, scenario 35: after a SIGKILL the connector found the referral it had created, a Microsoft seller's
  // edit (notes) overtook its PATCH and won the conflict as the later write, and only the status was sent. Taking
  // the current values as synced made the inbound turn see "no change in Partner Center": the sides never met.
  const synced = referral('created-co-sell');
  const edited = structuredClone(synced);
  edited.details!.notes = 'Changed by a Microsoft seller';
  const current = { salesforce: fingerprintOutbound(opportunity('linked-co-sell'), settings), partnerCenter: fingerprintInbound(edited) };
  assert.notEqual(current.salesforce.notes, current.partnerCenter.notes);
  const next = nextBaseline(current, undefined, 'salesforce');
  assert.deepEqual(next.salesforce, current.salesforce, 'the side that was read is synced as it is');
  assert.equal(isEcho(fingerprintInbound(edited), next.partnerCenter), false, 'the inbound turn sees a change');
  assert.ok(changedFields(fingerprintInbound(edited), next.partnerCenter).includes('notes'));
  for (const field of changedFields(fingerprintInbound(edited), next.partnerCenter)) assert.notEqual(current.salesforce[field], current.partnerCenter[field], `${field} agrees, so it is synced`);
  assert.equal(next.partnerCenter.notes, NEVER_SYNCED);
  // …and the inbound turn brings Microsoft's notes to the opportunity.
  const plan = mapInbound(edited, settings, { opportunity: opportunity('linked-co-sell'), lastSynced: next });
  assert.ok('action' in plan && plan.action === 'update', JSON.stringify(plan));
  assert.equal(plan.opportunity?.Description, 'Changed by a Microsoft seller');
});
