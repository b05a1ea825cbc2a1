import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { SYNC_REQUEST_EVENT, startLocalOrg, type LocalOrg } from './index.js';
import { connectAs, rejection, Receiver } from './test-helpers.js';

const SECRET = 'local-shared-secret';
let org: LocalOrg;
let receiver: Receiver;
let seller: Connection;
let integration: Connection;

before(async () => {
  receiver = await new Receiver().start();
  org = await startLocalOrg({ connectorUrl: receiver.url, sharedSecret: SECRET });
  seller = await connectAs(org, 'seller');
  integration = await connectAs(org, 'integration');
});
after(async () => {
  await org.close();
  await receiver.close();
});
beforeEach(async () => {
  await org.control.deliveries.idle();
  receiver.status = 202;
  receiver.delayMs = 0;
  receiver.requests.length = 0;
  org.control.deliveries.configure({ connectorUrl: receiver.url, sharedSecret: SECRET });
});

type Rec = Record<string, unknown>;
const requestsFor = (id: string) => org.control.events.list(SYNC_REQUEST_EVENT).filter((e) => e.data.payload.Opportunity_Id__c === id);
const status = (id: string) => org.control.records.get(id)?.Partner_Center_Sync_Status__c;
/** A syncing opportunity written by the connector (so creating it triggers nothing). */
async function syncingOpportunity(extra: Rec = {}): Promise<string> {
  const res = await integration.sobject('Opportunity').create({
    Name: 'Syncing deal', StageName: 'Qualification', CloseDate: '2031-06-30', AccountId: org.seeded!.accounts.contoso,
    Sync_With_Partner_Center__c: true, Partner_Center_Sync_Status__c: 'Synced', ...extra,
  });
  return res.id as string;
}

describe('record-triggered flow on Opportunity', () => {
  it('a seller switching sync on marks the deal Pending in the same save and the connector receives the exact contract', async () => {
    const id = org.seeded!.opportunities.contosoLandingZone;
    await seller.sobject('Opportunity').update({ Id: id, Sync_With_Partner_Center__c: true });
    const [row] = (await seller.query<Rec>(`SELECT Partner_Center_Sync_Status__c, LastModifiedById FROM Opportunity WHERE Id = '${id}'`)).records;
    assert.equal(row.Partner_Center_Sync_Status__c, 'Pending');
    assert.equal(row.LastModifiedById, org.control.users.get('seller').id);

    const attempt = await org.control.deliveries.waitFor((a) => a.opportunityId === id && a.outcome === 'delivered');
    assert.equal(attempt.httpStatus, 202);
    assert.equal(receiver.requests.length, 1);
    const [req] = receiver.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/v1/sync-requests');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers.authorization, `Bearer ${SECRET}`);
    const body = JSON.parse(req.body) as Rec;
    assert.deepEqual(Object.keys(body), ['opportunityId', 'reason', 'eventUuid', 'publishedAt']);
    assert.equal(body.opportunityId, id);
    assert.equal(String(body.opportunityId).length, 18);
    // Switching sync on is a start, like creating a syncing deal.
    assert.equal(body.reason, 'Created');
    assert.match(String(body.eventUuid), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(String(body.publishedAt), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const [event] = requestsFor(id);
    assert.equal(event.data.event.EventUuid, body.eventUuid);
    assert.equal(event.data.payload.CreatedById, org.control.users.get('seller').id);
  });

  it('a seller creating a syncing deal publishes reason Created', async () => {
    const res = await seller.sobject('Opportunity').create({ Name: 'New co-sell', StageName: 'Prospecting', CloseDate: '2031-01-31', Sync_With_Partner_Center__c: true });
    const id = res.id as string;
    assert.equal(status(id), 'Pending');
    const attempt = await org.control.deliveries.waitFor((a) => a.opportunityId === id && a.outcome === 'delivered');
    assert.equal(attempt.reason, 'Created');
  });

  it('only watched fields trigger; the sync status set to Pending by a person means Retry', async () => {
    const id = await syncingOpportunity();
    await seller.sobject('Opportunity').update({ Id: id, NextStep: 'call back' });
    assert.equal(status(id), 'Synced');
    await integration.sobject('Opportunity').update({ Id: id, Partner_Center_Sync_Status__c: 'Error' });
    await seller.sobject('Opportunity').update({ Id: id, Partner_Center_Sync_Status__c: 'Pending' });
    await org.control.deliveries.idle();
    assert.deepEqual(requestsFor(id).map((e) => e.data.payload.Reason__c), ['Retry']);
    for (const [field, value] of [['Name', 'Renamed'], ['Amount', 5], ['CloseDate', '2031-07-01'], ['StageName', 'Needs Analysis'], ['Description', 'notes']] as const) {
      await integration.sobject('Opportunity').update({ Id: id, Partner_Center_Sync_Status__c: 'Synced' });
      await seller.sobject('Opportunity').update({ Id: id, [field]: value });
      assert.equal(status(id), 'Pending', field);
    }
    await org.control.deliveries.idle();
    assert.deepEqual(requestsFor(id).map((e) => e.data.payload.Reason__c), ['Retry', 'Updated', 'Updated', 'Updated', 'Updated', 'Updated']);
  });

  it('ignores the integration user (custom permission): no Pending, no event, no delivery', async () => {
    const id = await syncingOpportunity();
    await integration.sobject('Opportunity').update({ Id: id, Name: 'Connector rename', Amount: 77, Visible_To_Microsoft_Sellers__c: true });
    await integration.sobject('Opportunity').update({ Id: id, Partner_Center_Sync_Status__c: 'Pending' });
    await org.control.deliveries.idle();
    assert.equal(requestsFor(id).length, 0);
    assert.equal(receiver.requests.length, 0);
  });

  it('does nothing for a deal that is not syncing, and nothing when the save fails', async () => {
    const off = await syncingOpportunity({ Sync_With_Partner_Center__c: false, Partner_Center_Sync_Status__c: 'Not Synced' });
    await seller.sobject('Opportunity').update({ Id: off, Name: 'Still private' });
    assert.equal(status(off), 'Not Synced');
    const visible = await syncingOpportunity({ Visible_To_Microsoft_Sellers__c: true });
    const err = await rejection(() => seller.sobject('Opportunity').update({ Id: visible, Visible_To_Microsoft_Sellers__c: false, Name: 'x' }));
    assert.equal(err.errorCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
    assert.equal(status(visible), 'Synced');
    await org.control.deliveries.idle();
    assert.equal(requestsFor(off).length + requestsFor(visible).length, 0);
  });

  it('publishes after commit only: a rolled-back all-or-none batch publishes nothing', async () => {
    const id = await syncingOpportunity();
    const results = await seller.sobject('Opportunity').update([{ Id: id, Name: 'Batch rename' }, { Id: id, StageName: 'Nope' }], { allOrNone: true });
    assert.equal(results.every((r) => !r.success), true);
    await org.control.deliveries.idle();
    assert.equal(requestsFor(id).length, 0);
    assert.equal(status(id), 'Synced');
  });
});

describe('record-triggered flows on Microsoft_Solution__c', () => {
  it('a seller adding, re-pointing or removing a solution leaves the parent Pending, with one request per change', async () => {
    // Deliveries fail here, so nothing the connector does hides what the flows did.
    receiver.status = 503;
    const id = await syncingOpportunity();
    assert.equal(status(id), 'Synced');
    const sol = (await seller.sobject('Microsoft_Solution__c').create({ Opportunity__c: id, Solution_Id__c: 'SOL-20931-DPM' })).id as string;
    await org.control.deliveries.idle();
    // Not Pending yet: the flow sets it Pending, and that save's own flows publish the one request.
    assert.equal(status(id), 'Pending');
    assert.deepEqual(requestsFor(id).map((e) => e.data.payload.Reason__c), ['Retry']);
    assert.equal(org.control.records.get(id)?.LastModifiedById, org.control.users.get('seller').id);

    await seller.sobject('Microsoft_Solution__c').update({ Id: sol, Solution_Name__c: 'only the name' });
    await seller.sobject('Microsoft_Solution__c').update({ Id: sol, Solution_Id__c: 'SOL-33107-ZTA' });
    await seller.sobject('Microsoft_Solution__c').destroy(sol);
    await org.control.deliveries.idle();
    // Pending already: the new solution list is announced at once and the parent stays Pending.
    assert.deepEqual(requestsFor(id).map((e) => e.data.payload.Reason__c), ['Retry', 'SolutionsChanged', 'SolutionsChanged']);
    assert.equal(status(id), 'Pending');
  });

  it('deleting a syncing opportunity cascades to its solutions without publishing', async () => {
    const id = await syncingOpportunity();
    await integration.sobject('Microsoft_Solution__c').create({ Opportunity__c: id, Solution_Id__c: 'SOL-1' });
    await seller.sobject('Opportunity').destroy(id);
    await org.control.deliveries.idle();
    assert.equal(requestsFor(id).length, 0);
  });

  it('the connector adding solutions triggers nothing', async () => {
    const id = await syncingOpportunity();
    await integration.sobject('Microsoft_Solution__c').create({ Opportunity__c: id, Solution_Id__c: 'SOL-33107-ZTA' });
    await org.control.deliveries.idle();
    assert.equal(requestsFor(id).length, 0);
    assert.equal(status(id), 'Synced');
  });
});

describe('event-triggered delivery flow', () => {
  it('runs outside the saving request: a slow connector does not slow the save', async () => {
    receiver.delayMs = 400;
    const id = await syncingOpportunity();
    const started = Date.now();
    await seller.sobject('Opportunity').update({ Id: id, Amount: 1 });
    assert.ok(Date.now() - started < 300, 'the save waited for the callout');
    await org.control.deliveries.waitFor((a) => a.opportunityId === id && a.outcome === 'delivered', 3000);
  });

  it('a failed delivery of an opportunity change leaves it Pending for the connector\'s sweep', async () => {
    receiver.status = 503;
    const id = await syncingOpportunity();
    await seller.sobject('Opportunity').update({ Id: id, Name: 'Will not arrive' });
    await org.control.deliveries.idle();
    const attempts = org.control.deliveries.list().filter((a) => a.opportunityId === id);
    assert.deepEqual(attempts.map((a) => [a.attempt, a.outcome, a.httpStatus]), [[1, 'gave-up', 503]]);
    assert.equal(status(id), 'Pending');
    assert.equal(requestsFor(id).length, 1);
  });

  it('a failed delivery of a solution change finds the parent Pending already, and stops', async () => {
    receiver.status = 401;
    const id = await syncingOpportunity();
    await seller.sobject('Microsoft_Solution__c').create({ Opportunity__c: id, Solution_Id__c: 'SOL-10482-LZA' });
    await org.control.deliveries.waitFor((a) => a.opportunityId === id && a.reason === 'Retry');
    await org.control.deliveries.idle();
    assert.equal(status(id), 'Pending');
    assert.equal(org.control.records.get(id)?.LastModifiedById, org.control.users.get('seller').id);
    assert.deepEqual(org.control.deliveries.list().filter((a) => a.opportunityId === id).map((a) => [a.reason, a.outcome, a.httpStatus]),
      [['Retry', 'gave-up', 401]]);
  });

  it('a connection failure is a failed delivery too', async () => {
    org.control.deliveries.configure({ connectorUrl: 'http://127.0.0.1:1', sharedSecret: SECRET });
    const id = await syncingOpportunity();
    await seller.sobject('Opportunity').update({ Id: id, Name: 'Refused' });
    const attempt = await org.control.deliveries.waitFor((a) => a.opportunityId === id);
    assert.equal(attempt.outcome, 'gave-up');
    assert.equal(attempt.httpStatus, null);
    assert.ok(attempt.error);
  });

  it('logs the request without sending it when no connector is configured', async () => {
    org.control.deliveries.configure(null);
    const id = await syncingOpportunity();
    await seller.sobject('Opportunity').update({ Id: id, Name: 'Nowhere to go' });
    const attempt = await org.control.deliveries.waitFor((a) => a.opportunityId === id);
    assert.equal(attempt.outcome, 'no-endpoint');
    assert.equal(receiver.requests.length, 0);
    assert.equal(status(id), 'Pending');
  });
});

describe('delivery with retries switched on', () => {
  it('retries with exponential backoff, sends the same request each time, and delivers once the connector recovers', async () => {
    const flaky = await new Receiver().start();
    const retrying = await startLocalOrg({ connectorUrl: flaky.url, sharedSecret: SECRET, delivery: { maxAttempts: 4, backoffMs: 60 } });
    try {
      flaky.status = 503;
      const conn = await connectAs(retrying, 'seller');
      const id = retrying.seeded!.opportunities.tailspinTeams;
      await conn.sobject('Opportunity').update({ Id: id, Sync_With_Partner_Center__c: true });
      await retrying.control.deliveries.waitFor((a) => a.attempt === 2);
      flaky.status = 202;
      const ok = await retrying.control.deliveries.waitFor((a) => a.outcome === 'delivered');
      assert.equal(ok.attempt, 3);
      const log = retrying.control.deliveries.list();
      assert.deepEqual(log.map((a) => a.outcome), ['failed', 'failed', 'delivered']);
      const gaps = log.slice(1).map((a, i) => Date.parse(a.at.replace('+0000', 'Z')) - Date.parse(log[i].at.replace('+0000', 'Z')));
      assert.ok(gaps[0] >= 50 && gaps[1] >= 110, `backoff doubles: ${gaps.join(', ')} ms`);
      assert.equal(new Set(flaky.requests.map((r) => r.body)).size, 1);
    } finally {
      await retrying.close();
      await flaky.close();
    }
  });
});
