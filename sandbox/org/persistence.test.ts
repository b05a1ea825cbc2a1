import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startLocalOrg } from './index.js';
import { connectAs } from './test-helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'local-org-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('a file database', () => {
  it('keeps records, users, sequences and events across restarts and seeds only once', async () => {
    const dbPath = path.join(dir, 'org.sqlite');
    const first = await startLocalOrg({ dbPath });
    const sellerId = first.control.users.get('seller').id;
    const conn = await connectAs(first, 'integration');
    const kept = (await conn.sobject('Account').create({ Name: 'Survives restarts' })).id as string;
    await conn.sobject('Partner_Center_Sync_Status__e').create({ Opportunity_Id__c: first.seeded!.opportunities.contosoLandingZone, Sync_Status__c: 'Synced' });
    await first.close();

    const second = await startLocalOrg({ dbPath });
    try {
      assert.equal(second.seeded, null);
      assert.equal(second.control.users.get('seller').id, sellerId);
      assert.equal(second.control.records.get(kept)?.Name, 'Survives restarts');
      assert.equal(second.control.records.query('SELECT Id FROM Partner_Center_Settings__c').length, 1);
      assert.equal(second.control.records.query('SELECT Id FROM OpportunityStage').length, 11);
      const next = second.control.records.create('Account', { Name: 'After restart' });
      assert.ok(next > kept, 'ids keep increasing');
      assert.equal(second.control.events.list('Partner_Center_Sync_Status__e').length, 1);
    } finally {
      await second.close();
    }
  });
});

describe('event stream for the preview', () => {
  it('streams published events as server-sent events and ends the stream on close', async () => {
    const org = await startLocalOrg({ seed: false });
    const conn = await connectAs(org, 'integration');
    const res = await fetch(`${org.url}/local/events/Partner_Center_Sync_Status__e/stream?access_token=${encodeURIComponent(conn.accessToken ?? '')}`);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body!.getReader();
    await conn.sobject('Partner_Center_Sync_Status__e').create({ Opportunity_Id__c: '006000000000000AAA', Sync_Status__c: 'Error', Message__c: 'Country code missing' });
    let text = '';
    while (!text.endsWith('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    assert.match(text, /^id: 1\ndata: /);
    const message = JSON.parse(text.split('data: ')[1]) as { channel: string; data: { payload: Record<string, unknown> } };
    assert.equal(message.channel, '/event/Partner_Center_Sync_Status__e');
    assert.equal(message.data.payload.Message__c, 'Country code missing');
    await org.close();
    assert.equal((await reader.read()).done, true);
  });
});
