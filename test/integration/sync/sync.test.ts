/**
 * The worker with the real engine, client and Salesforce adapter against both emulators over loopback: what a
 * seller and a Microsoft seller do, and what the connector must then show on each side.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACTIVE_STAGE, LOST_STAGE, ON_HOLD_STAGE } from '../../../sandbox/org/index.js';
import { opportunityLane } from '../../../connector/queue/lanes.js';
import { eventually, itemsFor, partnerCenterCalls, settled, startStack, type Stack } from '../../support/sync-stack.js';

type Row = Record<string, unknown>;

function opportunity(stack: Stack, id: string): Row {
  return stack.org.control.records.get(id)!;
}

function opportunityForReferral(stack: Stack, referralId: string): Row | undefined {
  return stack.org.control.records.query(`SELECT Id, Name, StageName, Amount, AccountId, Partner_Center_Sync_Status__c FROM Opportunity WHERE Referral_Id__c = '${referralId}'`)[0];
}

function syncLogs(stack: Stack, opportunityId: string): Row[] {
  return stack.org.control.records.query(
    `SELECT Direction__c, Outcome__c, Reason_Code__c, Message__c, Operation__c, Referral_Id__c, Request_Id__c FROM Partner_Center_Sync_Log__c WHERE Opportunity__c = '${opportunityId}'`,
  );
}

function sellerEdit(stack: Stack, id: string, fields: Row): void {
  stack.org.control.records.update('Opportunity', id, fields, { as: 'seller' });
}

describe('sync between the local org and the Partner Center emulator', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('shares an opportunity as a referral, writes the result back, and does not bounce its own writes', async () => {
    const id = stack.org.seeded!.opportunities.contosoLandingZone;
    sellerEdit(stack, id, { Sync_With_Partner_Center__c: true });
    const synced = await eventually(() => opportunity(stack, id).Partner_Center_Sync_Status__c === 'Synced' && opportunity(stack, id), 'the write-back');
    const referralId = String(synced.Referral_Id__c);
    const referral = stack.pc.control.referrals.get(referralId);
    assert.equal(referral.externalReferenceId, id);
    assert.equal(referral.type, 'Shared');
    assert.equal(synced.Name, '✔ Contoso - Azure landing zone');
    assert.equal(synced.Partner_Center_Status__c, 'New - Pending');
    assert.match(String(synced.Referral_Link__c), new RegExp(referralId));
    assert.match(String(synced.Partner_Center_Audit__c), /✔ Salesforce → Partner Center: Shared with Partner Center/);
    // The sync log follows the write-back.
    const log = await eventually(() => syncLogs(stack, id)[0], 'the sync log record');
    assert.equal(log.Outcome__c, 'Success');
    assert.equal(log.Direction__c, 'Outbound');
    assert.ok(log.Request_Id__c);
    await stack.org.control.events.waitFor('Partner_Center_Sync_Status__e', (m) => m.data.payload.Opportunity_Id__c === id, 2000);

    // The creation's webhooks (the referral and its connected Microsoft referral) come back: nothing is written.
    await settled(stack);
    assert.equal(partnerCenterCalls(stack.pc, 'PATCH'), 0);
    assert.equal(stack.org.control.records.query(`SELECT Id FROM Opportunity WHERE Name LIKE '%Contoso - Azure landing zone%'`).length, 1);
    assert.equal(opportunity(stack, id).Referral_Id__c, referralId, "the connected referral never takes over the opportunity's link");
    assert.equal(syncLogs(stack, id).length, 1);
    for (const item of await itemsFor(stack, opportunityLane(id))) assert.equal(item.status, 'done');

    const metrics = await (await fetch(`${stack.connector.url}/metrics`)).text();
    assert.match(metrics, /cosell_sync_success_total\{kind="outbound"\} 1\n/);
    assert.match(metrics, /cosell_sync_latency_seconds_count\{direction="outbound"\} 1\n/);
    assert.match(metrics, /cosell_sync_latency_seconds_count\{direction="inbound"\} [1-9]/);
  });

  it('sends a later edit as a minimal patch', async () => {
    const id = stack.org.seeded!.opportunities.contosoLandingZone;
    const referralId = String(opportunity(stack, id).Referral_Id__c);
    const patches = partnerCenterCalls(stack.pc, 'PATCH');
    sellerEdit(stack, id, { Amount: 275000 });
    await eventually(() => stack.pc.control.referrals.get(referralId).details?.dealValue === 275000, 'the new deal value in Partner Center');
    await settled(stack);
    assert.equal(partnerCenterCalls(stack.pc, 'PATCH'), patches + 1);
    assert.match(String(opportunity(stack, id).Partner_Center_Audit__c).split('\n')[0], /Updated referral .*: dealValue/);
  });

  it('parks an opportunity Partner Center cannot take, says how to fix it, and syncs once it is fixed', async () => {
    const id = stack.org.seeded!.opportunities.tailspinTeams;
    sellerEdit(stack, id, { Sync_With_Partner_Center__c: true });
    const failed = await eventually(() => opportunity(stack, id).Partner_Center_Sync_Status__c === 'Error' && opportunity(stack, id), 'the failure');
    assert.equal(failed.Name, '✖ Tailspin - Teams Phone');
    assert.match(String(failed.Partner_Center_Audit__c), /✖ .*Billing Country.*two-letter code such as DE/);
    const dead = await eventually(async () => {
      const letters = await stack.connector.store.listDeadLetters();
      return letters.length === 1 && letters;
    }, 'the dead letter');
    assert.match(dead[0].lastError!.message, /Billing Country/);
    // Parked (not retried): the sync log says so and carries the reason code reports group by.
    const log = await eventually(() => syncLogs(stack, id)[0], 'the sync log record');
    assert.equal(log.Outcome__c, 'Parked');
    assert.equal(log.Reason_Code__c, 'FIELD_VALIDATION');

    stack.org.control.records.update('Account', stack.org.seeded!.accounts.tailspin, { BillingCountry: 'US' }, { as: 'seller' });
    sellerEdit(stack, id, { Description: 'Teams Phone for 400 seats' });
    const fixed = await eventually(() => opportunity(stack, id).Partner_Center_Sync_Status__c === 'Synced' && opportunity(stack, id), 'the sync after the fix');
    assert.equal(fixed.Name, '✔ Tailspin - Teams Phone');
    // The write-back lands just before the item is recorded as done, which settles the dead letter.
    await eventually(async () => (await stack.connector.store.listDeadLetters()).length === 0, 'the success to settle the dead letter');
  });

  it('brings a referral shared by Microsoft in on hold, then follows Microsoft’s updates, without echoing them', async () => {
    const shared = stack.pc.control.seller.share({
      name: 'Woodgrove analytics',
      customer: { name: 'Woodgrove Bank', country: 'GB', postalCode: 'EC2A 1AA', contacts: [{ firstName: 'Ana', lastName: 'Silva', email: 'ana.silva@woodgrove.example' }] },
      dealValue: 90000,
      currency: 'GBP',
      solutions: [{ id: 'SOL-34104-EBB', name: 'Contoso Data Platform', publisherName: 'Contoso' }],
    });
    await eventually(() => opportunityForReferral(stack, shared.id!), 'the new opportunity');
    // The opportunity is written before its contact roles and solutions: look once the item is done.
    await settled(stack);
    const created = opportunityForReferral(stack, shared.id!)!;
    const id = String(created.Id);
    assert.equal(created.StageName, ON_HOLD_STAGE);
    assert.equal(created.Amount, 90000);
    const account = stack.org.control.records.get(String(created.AccountId))!;
    assert.equal(account.Name, 'Woodgrove Bank');
    const roles = stack.org.control.records.query(`SELECT Contact.Email, IsPrimary FROM OpportunityContactRole WHERE OpportunityId = '${id}'`);
    assert.deepEqual(
      roles.map((r) => [(r.Contact as Row).Email, r.IsPrimary]),
      [['ana.silva@woodgrove.example', true]],
    );
    const solutions = stack.org.control.records.query(`SELECT Solution_Id__c FROM Microsoft_Solution__c WHERE Opportunity__c = '${id}'`);
    assert.deepEqual(solutions.map((s) => s.Solution_Id__c), ['SOL-34104-EBB']);
    assert.equal(opportunity(stack, id).Sync_With_Partner_Center__c, true);

    const deliveries = stack.org.control.deliveries.list().length;
    stack.pc.control.seller.update(shared.id!, { dealValue: 95000 });
    await eventually(() => opportunity(stack, id).Amount === 95000, 'the updated amount');
    await settled(stack);
    assert.equal(stack.org.control.deliveries.list().length, deliveries, "the connector's own writes send no sync request");

    // Sharing it again (the same webhook, redelivered) creates nothing new.
    assert.equal(stack.org.control.records.query(`SELECT Id FROM Account WHERE Name = 'Woodgrove Bank'`).length, 1);
  });

  it('accepts a referral when the seller moves it to the active stage', async () => {
    const shared = stack.pc.control.seller.share({ name: 'Accept me', customer: { name: 'Litware Inc', country: 'US', postalCode: '98052' } });
    const created = await eventually(() => opportunityForReferral(stack, shared.id!), 'the new opportunity');
    sellerEdit(stack, String(created.Id), { StageName: ACTIVE_STAGE });
    await eventually(() => stack.pc.control.referrals.get(shared.id!).status === 'Active', 'the acceptance');
    assert.equal(stack.pc.control.referrals.get(shared.id!).substatus, 'Accepted');
    await eventually(() => opportunity(stack, String(created.Id)).Partner_Center_Status__c === 'Active - Accepted', 'the status on the opportunity');
  });

  it('declines a referral the seller closes as lost while on hold, and ignores edits made on hold', async () => {
    const shared = stack.pc.control.seller.share({ name: 'Decline me', customer: { name: 'Proseware', country: 'US', postalCode: '10001' }, dealValue: 1000 });
    const created = await eventually(() => opportunityForReferral(stack, shared.id!), 'the new opportunity');
    const id = String(created.Id);
    sellerEdit(stack, id, { Amount: 2000 });
    await settled(stack);
    assert.equal(stack.pc.control.referrals.get(shared.id!).details?.dealValue, 1000, 'an edit on hold does not sync');
    sellerEdit(stack, id, { StageName: LOST_STAGE });
    await eventually(() => stack.pc.control.referrals.get(shared.id!).status === 'Closed', 'the decline');
    assert.equal(stack.pc.control.referrals.get(shared.id!).substatus, 'Declined');
  });

  it('reports a referral whose opportunity was deleted, once, and never recreates it', async () => {
    const shared = stack.pc.control.seller.share({ name: 'Deleted deal', customer: { name: 'Adatum', country: 'FR', postalCode: '75001' } });
    const created = await eventually(() => opportunityForReferral(stack, shared.id!), 'the new opportunity');
    await settled(stack);
    stack.org.control.records.delete('Opportunity', String(created.Id), { as: 'seller' });
    const before = (await stack.connector.store.listDeadLetters()).length;
    stack.pc.control.seller.update(shared.id!, { dealValue: 5 });
    const dead = await eventually(async () => {
      const letters = await stack.connector.store.listDeadLetters();
      return letters.length > before && letters;
    }, 'the dead letter');
    assert.match(dead.at(-1)!.lastError!.message, /was deleted in Salesforce; it is not recreated/);
    stack.pc.control.seller.update(shared.id!, { dealValue: 6 });
    await settled(stack);
    assert.equal((await stack.connector.store.listDeadLetters()).length, before + 1);
    assert.equal(opportunityForReferral(stack, shared.id!), undefined);
  });
});

describe('catch-up sweeps', () => {
  let stack: Stack;
  let backfilled: string[] = [];
  before(async () => {
    stack = await startStack({
      config: { sweeps: { enabled: true, pendingIntervalMs: 1000, pendingAgeSeconds: 0, referralsIntervalMs: 1000 } },
      beforeConnector: (_org, pc) => {
        // Shared while no connector was listening: only the first sweep (the backfill) can bring them in.
        backfilled = Array.from({ length: 30 }, (_, i) =>
          pc.control.seller.share({ name: `Backfill ${i}`, customer: { name: `Backfill Customer ${i}`, country: 'DE', postalCode: `1011${i % 10}` } }).id!,
        );
      },
    });
  });
  after(() => stack.close());

  it('backfills referrals shared before the connector started, in a few Salesforce calls', async () => {
    await eventually(() => backfilled.every((id) => opportunityForReferral(stack, id)), 'all backfilled opportunities', 15_000);
    // 30 referrals: reads and writes go out in batches, not one call per record.
    assert.ok(stack.connector.salesforce.calls < 60, `${stack.connector.salesforce.calls} Salesforce calls`);
    assert.ok(await stack.connector.store.getCursor('referrals.updatedSince'));
    // The backfill records its size, so `cosell status` can show done / total while it runs.
    const backfill = JSON.parse((await stack.connector.store.getCursor('referrals.backfill')) ?? 'null') as { total: number; startedAt: number } | null;
    assert.ok(backfill && backfill.total >= backfilled.length && backfill.startedAt > 0, JSON.stringify(backfill));
  });

  it('syncs an opportunity whose sync request never arrived', async () => {
    stack.org.control.deliveries.configure(null);
    const id = stack.org.seeded!.opportunities.fabrikamDynamics;
    stack.org.control.records.update('Opportunity', id, { Sync_With_Partner_Center__c: true }, { as: 'seller' });
    assert.equal(opportunity(stack, id).Partner_Center_Sync_Status__c, 'Pending');
    await eventually(() => opportunity(stack, id).Partner_Center_Sync_Status__c !== 'Pending' && opportunity(stack, id), 'the sweep', 10_000);
    assert.ok(opportunity(stack, id).Referral_Id__c || opportunity(stack, id).Partner_Center_Sync_Status__c === 'Error');
  });

  it('brings in a referral whose webhook never arrived', async () => {
    stack.pc.control.faults.set({ webhookDropRate: 1 });
    const shared = stack.pc.control.seller.share({ name: 'Lost webhook', customer: { name: 'Lost Webhook Ltd', country: 'GB', postalCode: 'N1 9GU' } });
    await eventually(() => opportunityForReferral(stack, shared.id!), 'the swept referral', 10_000);
    stack.pc.control.faults.reset();
  });
});

describe('a seller change whose callout never arrived', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('is sent when a Microsoft change for the same deal arrives first (no sweep needed)', async () => {
    const id = stack.org.seeded!.opportunities.contosoLandingZone;
    sellerEdit(stack, id, { Sync_With_Partner_Center__c: true });
    await eventually(() => opportunity(stack, id).Partner_Center_Sync_Status__c === 'Synced', 'the first sync');
    const referralId = String(opportunity(stack, id).Referral_Id__c);
    await settled(stack);

    // The connector is unreachable for the seller's save: the opportunity stays Pending, nothing is sent.
    const target = stack.org.control.deliveries.target();
    stack.org.control.deliveries.configure(null);
    sellerEdit(stack, id, { Name: 'Contoso - landing zone, phase 2' });
    await stack.org.control.deliveries.waitFor((a) => a.opportunityId === id && a.outcome === 'no-endpoint');
    await stack.org.control.deliveries.idle();
    assert.equal(opportunity(stack, id).Partner_Center_Sync_Status__c, 'Pending');
    stack.org.control.deliveries.configure(target);

    // A Microsoft edit reaches the connector first; the seller's rename must follow it to Partner Center.
    stack.pc.control.seller.update(referralId, { notes: 'Microsoft: customer call booked' });
    await eventually(() => stack.pc.control.referrals.get(referralId)?.name === 'Contoso - landing zone, phase 2', "the seller's rename in Partner Center");
    await eventually(() => opportunity(stack, id).Description === 'Microsoft: customer call booked', "Microsoft's notes in Salesforce");
  });
});

describe('failures on the way', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ clientAttempts: 1 });
  });
  after(() => stack.close());

  it('retries while Partner Center is unavailable, telling the seller, and syncs when it is back', async () => {
    const id = stack.org.seeded!.opportunities.contosoLandingZone;
    stack.pc.control.faults.set({ serverErrorRate: 1 });
    sellerEdit(stack, id, { Sync_With_Partner_Center__c: true });
    await eventually(() => /retrying automatically/.test(String(opportunity(stack, id).Partner_Center_Audit__c)), 'the retry notice');
    assert.equal(opportunity(stack, id).Partner_Center_Sync_Status__c, 'Pending');
    stack.pc.control.faults.reset();
    await eventually(() => opportunity(stack, id).Partner_Center_Sync_Status__c === 'Synced', 'the sync after the outage');
    const referrals = stack.pc.control.referrals.all().filter((r) => r.externalReferenceId === id && !r.target?.length);
    assert.ok(referrals.length <= 1);
  });

  it('retries a Salesforce row lock', async () => {
    const shared = stack.pc.control.seller.share({ name: 'Locked', customer: { name: 'Lock Ltd', country: 'GB', postalCode: 'E1 6AN' } });
    stack.org.control.faults.set({ lockRowNext: 1 });
    const created = await eventually(() => opportunityForReferral(stack, shared.id!), 'the opportunity after the lock');
    assert.equal(created.Partner_Center_Sync_Status__c, 'Synced');
  });
});

describe('configuration problems', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      pauseMs: 200,
      beforeConnector: (org) => {
        org.control.records.update('Partner_Center_Settings__c', org.seeded!.settingsId, { Deal_Value_Field__c: 'Opportunity.No_Such_Field__c' });
      },
    });
  });
  after(() => stack.close());

  it('pauses on settings an admin must fix, reports it in /healthz, parks nothing, and resumes once fixed', async () => {
    const id = stack.org.seeded!.opportunities.contosoLandingZone;
    sellerEdit(stack, id, { Sync_With_Partner_Center__c: true });
    const report = await eventually(async () => {
      const health = await fetch(`${stack.connector.url}/healthz`, { headers: { authorization: `Bearer ${stack.connector.config.syncRequestSecret}` } });
      const body = (await health.json()) as { checks: { worker: { error?: string } } };
      return health.status === 503 && body;
    }, 'the paused health report');
    assert.match(report.checks.worker.error ?? '', /sync is paused: .*No_Such_Field__c.*Partner Center setup page/s);
    assert.deepEqual(await stack.connector.store.listDeadLetters(), []);
    assert.equal(opportunity(stack, id).Partner_Center_Sync_Status__c, 'Pending');

    stack.org.control.records.update('Partner_Center_Settings__c', stack.org.seeded!.settingsId, { Deal_Value_Field__c: 'Opportunity.Amount' });
    await eventually(() => opportunity(stack, id).Partner_Center_Sync_Status__c === 'Synced', 'the sync once the settings are fixed');
    await eventually(async () => (await fetch(`${stack.connector.url}/healthz`)).status === 200, 'a healthy report again');
  });
});
