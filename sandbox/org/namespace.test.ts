/**
 * The local org as a subscriber org of the namespaced package (namespace.ts): the event stream the preview's
 * empApi reads speaks the prefixed channel and payload, and a plain package event name is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from './index.js';
import { connectAs } from './test-helpers.js';

let org: LocalOrg;
let integration: Connection;

describe('namespaced org: platform event subscribers', () => {
  before(async () => {
    org = await startLocalOrg({ seed: false, namespace: 'pcsell' });
    integration = await connectAs(org, 'integration');
  });
  after(() => org?.close());

  const events = (type: string) => fetch(`${org.url}/local/events/${type}?after=0`, { headers: { Authorization: `Bearer ${integration.accessToken}` } });

  it('the channel and payload carry the prefix; the plain event name is refused', async () => {
    await integration.sobject('pcsell__Partner_Center_Sync_Status__e').create({ pcsell__Opportunity_Id__c: '006000000000000AAA', pcsell__Sync_Status__c: 'Synced' });
    const res = await events('pcsell__Partner_Center_Sync_Status__e');
    assert.equal(res.status, 200);
    const [message] = (await res.json()) as Array<{ channel: string; data: { payload: Record<string, unknown> } }>;
    assert.equal(message.channel, '/event/pcsell__Partner_Center_Sync_Status__e');
    assert.equal(message.data.payload.pcsell__Sync_Status__c, 'Synced');
    assert.equal(message.data.payload.Sync_Status__c, undefined);

    const plain = await events('Partner_Center_Sync_Status__e');
    assert.equal(plain.status, 400);
    assert.match(JSON.stringify(await plain.json()), /pcsell__Partner_Center_Sync_Status__e/);
  });

  it('the stream refuses the plain event name too', async () => {
    const res = await fetch(`${org.url}/local/events/Partner_Center_Sync_Status__e/stream?access_token=${encodeURIComponent(integration.accessToken ?? '')}`);
    assert.equal(res.status, 400);
    await res.body?.cancel();
  });
});
