/**
 * End to end, Salesforce → Partner Center: a seller works deals through the org's REST API with their own
 * session; the org's flows send sync requests to the connector, which talks to the Partner Center emulator over
 * HTTP and writes the outcome back as the integration user. Every scenario ends quiet: no call after it settles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Referral } from '../../connector/model/referral.js';
import { LOST_STAGE, SOLUTION_CATALOG, WON_STAGE } from '../../sandbox/org/index.js';
import { overTheWire } from '../../sandbox/partner-center/testing.js';
import { assertQuiet, eventually, lastAuditLine, partnerCenterApiCalls, query, record, settled, statusEvents, syncLogs, type Row } from '../support/observe.js';
import { addContactRole, addSolution, create, createDeal, dayFromNow, retrieve, retrySync, turnOnSync, update, type DealSpec } from '../support/seller.js';
import { startStack, type Stack } from '../support/stack.js';

const PORTAL = 'https://partner.microsoft.com/dashboard/referrals/v2/opportunities/';
const MICROSOFT_TARGET = { type: 'BusinessProfileLocation', id: 'msft' };

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

/** POST /referrals calls the connector made for an opportunity, as seen on the wire. */
/** POST /referrals for the opportunity: its own referral (no engagementId), or the connected one for Microsoft. */
function postsFor(opportunityId: string, connected: boolean): number {
  return stack.partnerCenterWire
    .find('POST', /\/referrals$/)
    .map((e) => JSON.parse(e.body.toString('utf8')) as Referral)
    .filter((body) => body.externalReferenceId === opportunityId && (body.engagementId !== undefined) === connected).length;
}

const createsFor = (opportunityId: string) => postsFor(opportunityId, false);

function syncedWith(id: string, what: string): Promise<Row> {
  return eventually(() => {
    const row = record(stack, id);
    return row.Partner_Center_Sync_Status__c === 'Synced' && row;
  }, what);
}

function failed(id: string, what: string): Promise<Row> {
  return eventually(() => {
    const row = record(stack, id);
    return row.Partner_Center_Sync_Status__c === 'Error' && row;
  }, what);
}

/** A co-sell deal the seller has built and synced; resolves once its referral is linked. */
async function syncedDeal(spec: DealSpec): Promise<{ opportunityId: string; referralId: string }> {
  const deal = await createDeal(stack, spec);
  await turnOnSync(stack, deal.opportunityId);
  const row = await syncedWith(deal.opportunityId, `the referral of ${spec.name}`);
  await settled(stack);
  return { opportunityId: deal.opportunityId, referralId: String(row.Referral_Id__c) };
}

describe('Salesforce → Partner Center', () => {
  it('shares a co-sell request with Microsoft and brings the referral back to the opportunity', async () => {
    const deal = await createDeal(stack, {
      name: 'Adventure Works - AKS platform',
      account: { Name: 'Adventure Works Cycles', BillingStreet: 'Unter den Linden 1', BillingCity: 'Berlin', BillingPostalCode: '10117', BillingCountry: 'DE' },
      contact: { FirstName: 'Jana', LastName: 'Richter', Email: 'jana.richter@adventure-works.example', Title: 'CTO' },
      solutionId: SOLUTION_CATALOG[1].Solution_Id__c,
      help: 'ProofOfConceptOrDemo',
      amount: 180_000,
      currency: 'EUR',
      closeDate: dayFromNow(45),
    });
    const id = deal.opportunityId;
    const startedAt = Date.now();
    await turnOnSync(stack, id);

    const synced = await syncedWith(id, 'the referral to come back to the opportunity');
    const referralId = String(synced.Referral_Id__c);

    // Partner Center: one create, a co-sell referral as the spec describes it, shared with Microsoft by the second
    // documented call ("Create a shared referral"): one connected referral for Microsoft.
    assert.equal(createsFor(id), 1);
    assert.equal(postsFor(id, true), 1);
    const referral = stack.pc.control.referrals.get(referralId);
    assert.equal(referral.externalReferenceId, id);
    assert.equal(referral.name, 'Adventure Works - AKS platform');
    assert.equal(referral.direction, 'Outgoing');
    assert.equal(referral.type, 'Shared');
    assert.equal(referral.qualification, 'SalesQualified');
    assert.equal(referral.consent?.consentToShareReferralWithMicrosoftSellers, true);
    assert.equal(referral.inviteContext?.assistanceRequestCode, 'ProofOfConceptOrDemo');
    assert.equal(referral.customerProfile?.name, 'Adventure Works Cycles');
    assert.equal(referral.customerProfile?.address?.country, 'DE');
    assert.equal(referral.customerProfile?.address?.postalCode, '10117');
    assert.deepEqual(referral.customerProfile?.team?.map((c) => c.email), ['jana.richter@adventure-works.example']);
    assert.deepEqual(referral.details?.requirements?.solutions?.map((s) => s.id), [SOLUTION_CATALOG[1].Solution_Id__c]);
    assert.equal(referral.details?.dealValue, 180_000);
    assert.equal(referral.details?.currency, 'EUR');
    assert.equal(referral.details?.closingDateTime, `${dayFromNow(45)}T00:00:00Z`);
    const connectedId = stack.pc.control.referrals.connectedReferralId(referralId);
    assert.ok(connectedId, 'a connected referral was created for Microsoft');
    const connected = stack.pc.control.referrals.get(connectedId);
    assert.deepEqual(connected.target, [MICROSOFT_TARGET]);
    assert.equal(connected.engagementId, referral.engagementId);

    // Salesforce: id, link, status, ✔, last sync time and the audit line on the opportunity.
    assert.equal(synced.Name, '✔ Adventure Works - AKS platform');
    assert.equal(synced.Referral_Link__c, `${PORTAL}${referralId}`);
    assert.equal(synced.Partner_Center_Status__c, 'New - Pending');
    const lastSync = Date.parse(String(synced.Partner_Center_Last_Sync__c));
    assert.ok(lastSync >= startedAt - 1000 && lastSync <= Date.now() + 1000, `last sync ${String(synced.Partner_Center_Last_Sync__c)}`);
    assert.match(lastAuditLine(stack, id), new RegExp(`^\\S+ ✔ Salesforce → Partner Center: Shared with Partner Center as .*${referralId}`));
    // …a sync log record and a status event for an open card.
    const [log] = await eventually(() => syncLogs(stack, id).length === 1 && syncLogs(stack, id), 'the sync log record');
    assert.equal(log.Direction__c, 'Outbound');
    assert.equal(log.Outcome__c, 'Success');
    assert.equal(log.Referral_Id__c, referralId);
    assert.ok(log.Request_Id__c, 'the Partner Center request id is logged');
    await eventually(() => statusEvents(stack, id).some((e) => e.Sync_Status__c === 'Synced'), 'the Partner_Center_Sync_Status__e event');

    // What the seller now sees through the API with their own session.
    const seen = await retrieve(stack.seller, 'Opportunity', id);
    assert.equal(seen.Referral_Id__c, referralId);
    assert.equal(seen.Partner_Center_Sync_Status__c, 'Synced');

    await assertQuiet(stack);
    assert.equal(syncLogs(stack, id).length, 1, "the creation's webhooks write nothing more");
    assert.equal(record(stack, id).Referral_Id__c, referralId, "the connected referral never takes over the opportunity's link");
  });

  it('patches later changes minimally with If-Match, and its own write-back does not come back as a change', async () => {
    const { opportunityId: id, referralId } = await syncedDeal({
      name: 'Margie Travel - Fabric analytics',
      account: { Name: "Margie's Travel", BillingCity: 'Seattle', BillingPostalCode: '98101', BillingCountry: 'US' },
    });
    const deliveries = stack.org.control.deliveries.list().length;

    const edits: [Row, string, (r: Referral) => unknown, unknown][] = [
      [{ Amount: 135_000 }, '/details/dealValue', (r) => r.details?.dealValue, 135_000],
      [{ CloseDate: dayFromNow(75) }, '/details/closingDateTime', (r) => r.details?.closingDateTime, `${dayFromNow(75)}T00:00:00Z`],
    ];
    for (const [fields, path, read, expected] of edits) {
      const eTag = stack.pc.control.referrals.get(referralId).eTag;
      const patchesBefore = stack.partnerCenterWire.find('PATCH', /\/referrals\/[^/]+$/).length;
      await update(stack.seller, 'Opportunity', id, fields);
      await eventually(() => read(overTheWire<Referral>(stack.pc.control.referrals.get(referralId))) === expected, `${path} in Partner Center`);
      await settled(stack);
      const patches = stack.partnerCenterWire.find('PATCH', /\/referrals\/[^/]+$/).slice(patchesBefore);
      assert.equal(patches.length, 1, `one PATCH for ${path}`);
      assert.ok(patches[0].url.split('?')[0].endsWith(`/referrals/${referralId}`));
      assert.equal(patches[0].headers['if-match'], eTag, 'the PATCH is conditional on the eTag the connector last saw');
      assert.deepEqual(JSON.parse(patches[0].body.toString('utf8')), [{ op: 'replace', path, value: expected }]);
      assert.match(lastAuditLine(stack, id), new RegExp(`✔ Salesforce → Partner Center: Updated referral ${referralId}.*`));
      await assertQuiet(stack);
    }

    // A move between open stages is not something Partner Center holds: it costs no PATCH.
    const patches = partnerCenterApiCalls(stack, 'PATCH');
    await update(stack.seller, 'Opportunity', id, { StageName: 'Needs Analysis' });
    await eventually(() => new RegExp(`✔ Salesforce → Partner Center: Referral ${referralId} is up to date`).test(lastAuditLine(stack, id)), 'the stage change to be handled');
    await assertQuiet(stack);
    assert.equal(partnerCenterApiCalls(stack, 'PATCH'), patches);
    // Three seller saves, three sync requests: the connector's write-backs sent none.
    assert.equal(stack.org.control.deliveries.list().length, deliveries + 3);
  });

  it('closes the referral as won when the seller wins the deal', async () => {
    const { opportunityId: id, referralId } = await syncedDeal({
      name: 'Trey Research - Copilot rollout',
      account: { Name: 'Trey Research', BillingCity: 'Dublin', BillingPostalCode: 'D02 X285', BillingCountry: 'IE' },
    });
    await update(stack.seller, 'Opportunity', id, { StageName: WON_STAGE });
    await eventually(() => stack.pc.control.referrals.get(referralId).status === 'Closed', 'the referral to close');
    const referral = stack.pc.control.referrals.get(referralId);
    assert.equal(referral.substatus, 'Won');
    const row = await eventually(() => record(stack, id).Partner_Center_Status__c === 'Closed - Won' && record(stack, id), 'the status on the opportunity');
    assert.equal(row.StageName, WON_STAGE);
    assert.equal(row.Partner_Center_Sync_Status__c, 'Synced');
    await assertQuiet(stack);
  });

  it('closes the referral as lost, with the reason, when the seller loses the deal', async () => {
    const { opportunityId: id, referralId } = await syncedDeal({
      name: 'Wide World Importers - SAP on Azure',
      account: { Name: 'Wide World Importers', BillingCity: 'Rotterdam', BillingPostalCode: '3011 AA', BillingCountry: 'NL' },
    });
    await update(stack.seller, 'Opportunity', id, { StageName: LOST_STAGE });
    await eventually(() => stack.pc.control.referrals.get(referralId).status === 'Closed', 'the referral to close');
    const referral = stack.pc.control.referrals.get(referralId);
    assert.equal(referral.substatus, 'Lost');
    assert.equal(referral.statusReason, `Lost in Salesforce (stage ${LOST_STAGE})`);
    const row = await eventually(() => record(stack, id).Partner_Center_Status__c === 'Closed - Lost' && record(stack, id), 'the status on the opportunity');
    assert.equal(row.StageName, LOST_STAGE);
    await assertQuiet(stack);
  });
});

describe('what Partner Center cannot take is stopped in Salesforce, explained, and synced once fixed', () => {
  /** The failure: ✖, an audit line and a sync log naming the record, the field and the fix; nothing sent. */
  async function expectRefusal(id: string, name: string, message: RegExp, reason: { code: string; params: Record<string, string> }): Promise<void> {
    const row = await failed(id, `the refusal of ${name}`);
    assert.equal(row.Name, `✖ ${name}`);
    assert.equal(row.Referral_Id__c ?? null, null);
    const line = lastAuditLine(stack, id);
    assert.match(line, /✖ Salesforce → Partner Center: /);
    assert.ok(line.includes(`Opportunity "${name}" (${id})`), `the audit line names the record: ${line}`);
    assert.match(line, message);
    // A refusal is parked at once (a person must fix it): the log says Parked, with the code reports group by.
    const log = await eventually(() => syncLogs(stack, id).find((l) => l.Outcome__c === 'Parked'), 'the sync log of the failure');
    assert.equal(log.Reason_Code__c, 'FIELD_VALIDATION');
    assert.equal(log.Direction__c, 'Outbound');
    assert.match(String(log.Message__c), message);
    // The same failure as data, for the card to say in the seller's language: a code and its parameters, no ids.
    assert.equal(log.Failure_Reason__c, reason.code);
    assert.deepEqual(JSON.parse(String(log.Failure_Parameters__c)), reason.params);
    assert.ok(!String(log.Failure_Parameters__c).includes(id), 'no record id in the reason');
    const event = await eventually(() => statusEvents(stack, id).find((e) => e.Sync_Status__c === 'Error'), 'the Error status event');
    assert.equal(event.Failure_Reason__c, reason.code);
    assert.deepEqual(JSON.parse(String(event.Failure_Parameters__c)), reason.params);
  }

  async function expectFixed(id: string, name: string): Promise<void> {
    const row = await syncedWith(id, `the sync of ${name} after the fix`);
    assert.equal(row.Name, `✔ ${name}`);
    const referral = stack.pc.control.referrals.get(String(row.Referral_Id__c));
    assert.equal(referral.externalReferenceId, id);
    assert.equal(createsFor(id), 1);
    await assertQuiet(stack);
  }

  it('a missing country code: names the account field and the fix; the seller sets it and retries', async () => {
    const name = 'Tailwind Traders - Azure VMware';
    const deal = await createDeal(stack, { name, account: { Name: 'Tailwind Traders', BillingCity: 'Lyon', BillingPostalCode: '69002' } });
    const calls = partnerCenterApiCalls(stack);
    await turnOnSync(stack, deal.opportunityId);
    await expectRefusal(deal.opportunityId, name, /customer account country code is missing on Account "Tailwind Traders".*set Billing Country to a two-letter code such as DE/, {
      code: 'COUNTRY_MISSING',
      params: { field: 'Account.BillingCountry', record: 'Tailwind Traders', expected: 'ISO 3166-1 alpha-2' },
    });
    await settled(stack);
    assert.equal(partnerCenterApiCalls(stack), calls, 'nothing was sent to Partner Center');

    await update(stack.seller, 'Account', deal.accountId, { BillingCountry: 'FR' });
    await retrySync(stack, deal.opportunityId);
    await expectFixed(deal.opportunityId, name);
    assert.equal(stack.pc.control.referrals.get(String(record(stack, deal.opportunityId).Referral_Id__c)).customerProfile?.address?.country, 'FR');
  });

  it('a co-sell request without a contact role: says to add the contact; the seller adds one and retries', async () => {
    const name = 'Lamna Healthcare - Epic on Azure';
    const deal = await createDeal(stack, { name, account: { Name: 'Lamna Healthcare', BillingCity: 'Boston', BillingPostalCode: '02110', BillingCountry: 'US' }, contact: null });
    const calls = partnerCenterApiCalls(stack);
    await turnOnSync(stack, deal.opportunityId);
    await expectRefusal(deal.opportunityId, name, /asks Microsoft for help, and a co-sell request needs a customer contact — add the customer's contact to Contact Roles/, {
      code: 'CONTACT_MISSING',
      params: { field: 'OpportunityContactRoles' },
    });
    await settled(stack);
    assert.equal(partnerCenterApiCalls(stack), calls, 'nothing was sent to Partner Center');

    const contactId = await create(stack.seller, 'Contact', { AccountId: deal.accountId, FirstName: 'Omar', LastName: 'Haddad', Email: 'omar.haddad@lamna.example' });
    await addContactRole(stack.seller, deal.opportunityId, contactId);
    await retrySync(stack, deal.opportunityId);
    await expectFixed(deal.opportunityId, name);
    const referral = stack.pc.control.referrals.get(String(record(stack, deal.opportunityId).Referral_Id__c));
    assert.deepEqual(referral.customerProfile?.team?.map((c) => c.email), ['omar.haddad@lamna.example']);
  });

  it('no solution on a deal shared with Microsoft: says to add one; adding it syncs without a retry', async () => {
    const name = 'Relecloud - Zero Trust';
    const deal = await createDeal(stack, { name, account: { Name: 'Relecloud', BillingCity: 'Oslo', BillingPostalCode: '0150', BillingCountry: 'NO' }, solutionId: null });
    const calls = partnerCenterApiCalls(stack);
    await turnOnSync(stack, deal.opportunityId);
    await expectRefusal(deal.opportunityId, name, /is shared with Microsoft, which needs at least one Microsoft solution — add a solution on the Microsoft Partner Center card/, {
      code: 'SOLUTION_MISSING',
      params: { field: 'Microsoft_Solutions__r' },
    });
    await settled(stack);
    assert.equal(partnerCenterApiCalls(stack), calls, 'nothing was sent to Partner Center');

    // Adding a solution to a syncing opportunity is itself a change the package's flow sends.
    await addSolution(stack.seller, deal.opportunityId, SOLUTION_CATALOG[2].Solution_Id__c);
    await expectFixed(deal.opportunityId, name);
    const referral = stack.pc.control.referrals.get(String(record(stack, deal.opportunityId).Referral_Id__c));
    assert.deepEqual(referral.details?.requirements?.solutions?.map((s) => s.id), [SOLUTION_CATALOG[2].Solution_Id__c]);
    assert.equal(query(stack, `SELECT Id FROM Partner_Center_Sync_Log__c WHERE Opportunity__c = '${deal.opportunityId}' AND Outcome__c = 'Success'`).length, 1);
  });
});
