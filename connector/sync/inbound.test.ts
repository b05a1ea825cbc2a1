/**
 * processInbound's write onto an existing opportunity, against a scripted Salesforce: the seller edits the
 * opportunity between the connector's read and its write (the race the race suite runs many times), replayed
 * deterministically. The org's answer to the conditional write follows If-Unmodified-Since as gateway.ts sends it.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { opportunity as opportunityFixture, referral as referralFixture, settings as loadSettings } from '../engine/fixtures/load.js';
import type { OpportunityRecord } from '../engine/salesforce-records.js';
import type { QuerySpec, SaveOutcome, SaveSpec } from '../salesforce/gateway.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { fingerprintOutbound } from '../engine/fingerprint.js';
import { inboundRequest, opportunityLane } from '../queue/lanes.js';
import { processInbound } from './inbound.js';
import type { SyncDeps } from './types.js';

const settings = loadSettings('configured');
const WORKER = 'test-worker';

/** Salesforce's LastModifiedDate form, some seconds ago (well after the fixture's date). */
const modifiedNow = (agoMs = 3000) => new Date(Date.now() - agoMs).toISOString().replace('Z', '+0000');

class ScriptedSalesforce {
  /** Runs once, right after the connector's first read of the opportunity: what the seller does meanwhile. */
  afterRead: ((opportunity: OpportunityRecord) => void) | null = null;
  conditionalWrites = 0;
  #ids = 0;
  constructor(public opportunity: OpportunityRecord) {}

  async queries(specs: readonly QuerySpec[]): Promise<OpportunityRecord[][]> {
    const rows = specs.map((spec) => (spec.what === 'the linked opportunities' ? [structuredClone(this.opportunity)] : []));
    if (rows.some((r) => r.length > 0) && this.afterRead) {
      const edit = this.afterRead;
      this.afterRead = null;
      edit(this.opportunity);
    }
    return rows;
  }
  async query(): Promise<OpportunityRecord[]> {
    return [structuredClone(this.opportunity)];
  }
  /** An unconditional collection write: what would overwrite the seller's edit. */
  async update(_type: string, records: Record<string, unknown>[]): Promise<SaveOutcome[]> {
    for (const record of records) Object.assign(this.opportunity, record, { LastModifiedDate: modifiedNow(0) });
    return records.map((r) => ({ id: String(r.Id), error: null }));
  }
  async updateIfUnmodified(_type: string, _id: string, fields: Record<string, unknown>, since: string): Promise<'saved' | 'modified'> {
    this.conditionalWrites++;
    if (Math.floor(Date.parse(String(this.opportunity.LastModifiedDate)) / 1000) > Math.floor(Date.parse(since) / 1000)) return 'modified';
    Object.assign(this.opportunity, fields, { LastModifiedDate: modifiedNow(0) });
    return 'saved';
  }
  async create(_type: string, records: Record<string, unknown>[]): Promise<SaveOutcome[]> {
    return records.map(() => ({ id: `003Dn0000000${String(this.#ids++).padStart(3, '0')}AAA`, error: null }));
  }
  async saveAll(specs: readonly SaveSpec[]): Promise<SaveOutcome[][]> {
    return specs.map((spec) => spec.records.map(() => ({ id: `a01Dn0000000${String(this.#ids++).padStart(3, '0')}AAA`, error: null })));
  }
}

describe('processInbound: a seller edit made while the referral is applied', () => {
  let store: SqliteStore;
  let sf: ScriptedSalesforce;
  let deps: SyncDeps;
  const referral = referralFixture('incoming-active-updated');

  beforeEach(() => {
    store = new SqliteStore({ path: ':memory:' });
    // Synced before, but without the ✔ (a name the seller typed last): the write-back adds the mark to it.
    sf = new ScriptedSalesforce({ ...opportunityFixture('incoming-accepted'), Partner_Center_Sync_Status__c: 'Synced' });
    deps = {
      store,
      salesforce: sf,
      partnerCenter: { getReferral: async () => ({ data: structuredClone(referral) }) },
      context: { get: async () => ({ settings, org: { multiCurrency: true } }) },
      writer: { record: async () => undefined },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined },
      now: () => Date.now(),
      redact: (text: string) => text,
    } as unknown as SyncDeps;
  });
  afterEach(() => store.close());

  /** The last sync left both sides at the opportunity's values; Microsoft has changed the referral since. */
  async function syncedBefore() {
    const print = fingerprintOutbound(sf.opportunity, settings, { multiCurrency: true });
    await store.enqueue(inboundRequest(opportunityLane(sf.opportunity.Id!), { referralId: referral.id!, eventName: 'earlier', changedAt: null }, 'test'));
    const [item] = await store.claim(WORKER, { limit: 1, leaseMs: 60_000 });
    await store.complete(item.id, WORKER, { outcome: {}, syncState: [{ referralId: referral.id!, opportunityId: sf.opportunity.Id!, baseline: { salesforce: print, partnerCenter: print } }] });
  }

  async function applyReferral() {
    await syncedBefore();
    await store.enqueue(inboundRequest(opportunityLane(sf.opportunity.Id!), { referralId: referral.id!, eventName: 'referral-updated', changedAt: referral.updatedDateTime! }, 'test'));
    const [item] = await store.claim(WORKER, { limit: 1, leaseMs: 60_000 });
    return (await processInbound([item], deps)).get(item.id)!;
  }

  const sellerSaves = (fields: Partial<OpportunityRecord>) => (opportunity: OpportunityRecord) =>
    Object.assign(opportunity, fields, { Partner_Center_Sync_Status__c: 'Pending', LastModifiedDate: modifiedNow() });

  it('writes Microsoft’s changes with Synced and the ✔ when the seller changed nothing', async () => {
    const result = await applyReferral();
    assert.equal(result.status, 'done', JSON.stringify(result));
    assert.equal(sf.opportunity.Name, '✔ Northwind data platform');
    assert.equal(sf.opportunity.Amount, 110000);
    assert.equal(sf.opportunity.Partner_Center_Sync_Status__c, 'Synced');
    assert.equal(result.status === 'done' ? result.enqueue : 'failed', undefined, 'nothing to send back');
  });

  it('keeps a rename made after the read, stays Pending, and sends the new name next', async () => {
    sf.afterRead = sellerSaves({ Name: 'Northwind data platform, phase 2' });
    const result = await applyReferral();
    assert.equal(result.status, 'done', JSON.stringify(result));
    assert.equal(sf.opportunity.Name, 'Northwind data platform, phase 2', 'the seller’s rename is not replaced by the name read before it');
    assert.equal(sf.opportunity.Amount, 110000, 'Microsoft’s deal value still arrives');
    assert.equal(sf.opportunity.Partner_Center_Sync_Status__c, 'Pending', 'the renamed version has not been sent yet');
    assert.match(String(sf.opportunity.Partner_Center_Audit__c), /changed meanwhile; the newer values are sent next/);
    assert.equal(sf.conditionalWrites, 2, 'refused once (412), then written onto the newer version');
    const next = result.status === 'done' ? (result.enqueue ?? []) : [];
    assert.deepEqual(next.map((r) => [r.kind, r.payload.opportunityId]), [['outbound', sf.opportunity.Id]]);
  });

  it('keeps a deal value the seller set after the read over the older one from Partner Center', async () => {
    sf.afterRead = sellerSaves({ Amount: 125000 });
    const result = await applyReferral();
    assert.equal(result.status, 'done', JSON.stringify(result));
    assert.equal(sf.opportunity.Amount, 125000, 'the seller’s edit is newer than Microsoft’s');
    assert.equal(sf.opportunity.CloseDate, '2026-07-31', 'the fields only Microsoft changed still arrive');
    assert.equal(sf.opportunity.Name, 'Northwind data platform');
    assert.equal(sf.opportunity.Partner_Center_Sync_Status__c, 'Pending');
  });
});
