/**
 * processOutbound against an in-memory Partner Center and a scripted Salesforce, on the real store: the cases the
 * chaos run found, each replayed deterministically (a crash between create and write-back, a connected Microsoft
 * referral created in the same instant as ours, a Microsoft edit landing between two outbound turns).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import jsonpatch from 'fast-json-patch';
import { opportunity as opportunityFixture, settings as loadSettings } from '../engine/fixtures/load.js';
import type { OpportunityRecord } from '../engine/salesforce-records.js';
import type { Referral, ReferralPatchOperation } from '../model/referral.js';
import type { SaveOutcome } from '../salesforce/gateway.js';
import { SalesforceWriteError } from '../salesforce/errors.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { outboundRequest } from '../queue/lanes.js';
import { processOutbound } from './outbound.js';
import type { ItemResult, SyncDeps } from './types.js';

const settings = loadSettings('configured');
const WORKER = 'test-worker';

/** Referrals kept in memory; patches applied as the service applies them (new eTag and updatedDateTime). */
class FakePartnerCenter {
  readonly referrals = new Map<string, Referral>();
  readonly patches: ReferralPatchOperation[][] = [];
  // Partner Center's clock is the real one: the connector reads "created since the item was queued" from it.
  #clock = Date.now();
  #ids = 0;

  tick(): string {
    this.#clock += 1000;
    return new Date(this.#clock).toISOString();
  }

  put(referral: Referral): Referral {
    this.referrals.set(referral.id!, structuredClone(referral));
    return referral;
  }

  /** What a Microsoft seller does in the portal. */
  edit(id: string, change: (referral: Referral) => void): void {
    const referral = structuredClone(this.referrals.get(id)!);
    change(referral);
    referral.updatedDateTime = this.tick();
    referral.eTag = `etag-${this.#ids++}`;
    this.referrals.set(id, referral);
  }

  /** Filters are not evaluated; `$orderby` is, since the connector stops reading at the first older referral. */
  async *allReferrals(query: { orderBy?: string } = {}): AsyncGenerator<Referral> {
    const all = [...this.referrals.values()].map((r) => structuredClone(r));
    if (query.orderBy === 'createdDateTime desc') all.sort((a, b) => Date.parse(b.createdDateTime!) - Date.parse(a.createdDateTime!));
    yield* all;
  }

  async createReferral(body: Referral) {
    const now = this.tick();
    const id = `ref-${this.#ids++}`;
    const referral = this.put({ ...structuredClone(body), id, engagementId: body.engagementId ?? `eng-${id}`, eTag: `etag-${this.#ids++}`, createdDateTime: now, updatedDateTime: now, acceptedDateTime: now, status: 'New', substatus: 'Pending' });
    return { data: structuredClone(referral), requestId: 'req-create', status: 201 };
  }

  async updateWithRetry(id: string, mutate: (current: Referral) => ReferralPatchOperation[] | null, options: { current?: Referral } = {}) {
    const latest = structuredClone(this.referrals.get(id)!);
    const current = options.current && options.current.eTag === latest.eTag ? options.current : latest;
    const operations = mutate(current);
    if (!operations || operations.length === 0) return { referral: current, changed: false, conflicts: 0 };
    this.patches.push(operations);
    const patched = jsonpatch.applyPatch(structuredClone(latest), operations as jsonpatch.Operation[], false, false).newDocument;
    this.put(patched);
    this.edit(id, () => undefined);
    return { referral: structuredClone(this.referrals.get(id)!), changed: true, conflicts: 0, requestId: 'req-patch' };
  }
}

/** The opportunity as the org holds it; the write-back answers with `writeBack` (a validation rule, say). */
class FakeSalesforce {
  writeBack: SalesforceWriteError | null = null;
  constructor(public opportunity: OpportunityRecord) {}
  async query() {
    return [structuredClone(this.opportunity)];
  }
  async update(_type: string, records: Record<string, unknown>[]): Promise<SaveOutcome[]> {
    if (this.writeBack) return records.map(() => ({ id: null, error: this.writeBack }));
    Object.assign(this.opportunity, ...records);
    return records.map((r) => ({ id: String(r.Id), error: null }));
  }
  /** The write-back: refused as `writeBack` says, else applied unless the opportunity changed since `since`. */
  async updateIfUnmodified(_type: string, _id: string, fields: Record<string, unknown>, since: string): Promise<'saved' | 'modified'> {
    if (this.writeBack) throw this.writeBack;
    if (Math.floor(Date.parse(String(this.opportunity.LastModifiedDate)) / 1000) > Math.floor(Date.parse(since) / 1000)) return 'modified';
    Object.assign(this.opportunity, fields);
    return 'saved';
  }
}

describe('processOutbound', () => {
  let store: SqliteStore;
  let pc: FakePartnerCenter;
  let sf: FakeSalesforce;
  let deps: SyncDeps;
  const opportunityId = () => String(sf.opportunity.Id);

  beforeEach(() => {
    store = new SqliteStore({ path: ':memory:' });
    pc = new FakePartnerCenter();
    const opportunity = opportunityFixture('private');
    sf = new FakeSalesforce({ ...opportunity, LastModifiedDate: '2026-06-01T09:00:00.000+0000' });
    deps = {
      store,
      salesforce: sf,
      partnerCenter: pc,
      context: { get: async () => ({ settings, org: { multiCurrency: true } }) },
      writer: { record: async () => undefined, specs: () => [] },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined },
      now: () => Date.now(),
    } as unknown as SyncDeps;
  });
  afterEach(() => store.close());

  /** One outbound turn for the opportunity, recorded in the store the way the worker records it. */
  async function turn(reason: string): Promise<ItemResult> {
    await store.enqueue(outboundRequest(opportunityId(), { opportunityId: opportunityId(), reason, eventUuid: null, publishedAt: null }, 'test'));
    const [item] = await store.claim(WORKER, { limit: 1, leaseMs: 60_000 });
    const result = await processOutbound(item, deps);
    if (result.status === 'done') await store.complete(item.id, WORKER, { outcome: result.outcome, syncState: result.syncState });
    else await store.fail(item.id, WORKER, { error: { message: result.failure.message, code: result.failure.code, retryable: false }, park: true, syncState: result.syncState });
    return result;
  }

  it('keeps the created values as the baseline when the write-back fails, so a Microsoft CRM-id edit does not outvote a later seller edit', async () => {
    // Chaos run, scenario 38: the create succeeded, a validation rule refused the write-back (dead letter).
    const message = 'Injected_Deal_Desk_Review: the deal desk must review this opportunity.';
    sf.writeBack = new SalesforceWriteError('park', message, { statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message, fields: ['Amount'] }, 'Amount');
    assert.equal((await turn('Created')).status, 'failed');
    const [referralId] = pc.referrals.keys();

    // The seller moves the close date; a moment later a Microsoft seller sets the CRM id (a newer referral).
    sf.writeBack = null;
    sf.opportunity = { ...sf.opportunity, CloseDate: '2026-12-26', LastModifiedDate: pc.tick() };
    pc.edit(referralId, (r) => {
      r.trackingInfo = { microsoftMsxId: 'MSX-264911' };
    });
    const result = await turn('Updated');
    assert.equal(result.status, 'done');
    assert.equal(pc.referrals.get(referralId)!.details?.closingDateTime, '2026-12-26T00:00:00Z', "the seller's close date reaches Partner Center");
  });

  it("after a crash, finds its own co-sell referral, not the connected Microsoft referral created in the same instant", async () => {
    // Chaos run, scenario 3: the connector was SIGKILLed after Partner Center created the referral and its connected
    // Microsoft referral (same externalReferenceId, same createdDateTime, and here an id that sorts first).
    sf.opportunity = { ...opportunityFixture('co-sell'), LastModifiedDate: '2026-06-01T09:00:00.000+0000' };
    const at = pc.tick();
    const base: Referral = { externalReferenceId: opportunityId(), engagementId: 'eng-1', name: 'Contoso', direction: 'Outgoing', type: 'Shared', status: 'New', substatus: 'Pending', createdDateTime: at, updatedDateTime: at };
    // Listed first, as Partner Center's listing breaks the createdDateTime tie by id.
    pc.put({ ...base, id: 'a-microsofts', eTag: 'e2', target: [{ type: 'BusinessProfileLocation', id: 'msft' }] });
    pc.put({ ...base, id: 'b-ours', eTag: 'e1', acceptedDateTime: at, target: [{ type: 'SolutionProfile', id: 'SOL-34104-EBB' }] });
    await store.enqueue(outboundRequest(opportunityId(), { opportunityId: opportunityId(), reason: 'Created', eventUuid: null, publishedAt: null }, 'test'));
    const [first] = await store.claim(WORKER, { limit: 1, leaseMs: 1 });
    assert.ok(first);
    // The lease of the killed attempt runs out; the next attempt (attempts 2) looks for what the first created.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [item] = await store.claim(WORKER, { limit: 1, leaseMs: 60_000 });
    assert.equal(item.attempts, 2);
    const result = await processOutbound(item, deps);
    assert.equal(result.status, 'done', JSON.stringify(result));
    assert.equal(sf.opportunity.Referral_Id__c, 'b-ours');
    assert.equal(pc.referrals.size, 2, 'nothing created twice');
  });

  it('a co-sell share is two calls; a crash between them creates the referral for Microsoft once, on the retry', async () => {
    sf.opportunity = { ...opportunityFixture('co-sell'), LastModifiedDate: '2026-06-01T09:00:00.000+0000' };
    const create = pc.createReferral.bind(pc);
    pc.createReferral = async (body: Referral) => {
      if (body.engagementId) throw new Error('the process died between the two calls');
      return create(body);
    };
    await store.enqueue(outboundRequest(opportunityId(), { opportunityId: opportunityId(), reason: 'Created', eventUuid: null, publishedAt: null }, 'test'));
    const [first] = await store.claim(WORKER, { limit: 1, leaseMs: 1 });
    await processOutbound(first, deps).catch(() => undefined);
    pc.createReferral = create;
    assert.equal(pc.referrals.size, 1, 'only the partner referral exists after the first call');
    const [own] = pc.referrals.values();
    assert.deepEqual(own.target, [{ type: 'SolutionProfile', id: 'SOL-34104-EBB' }], 'the partner referral does not target Microsoft');

    await new Promise((resolve) => setTimeout(resolve, 5));
    const [item] = await store.claim(WORKER, { limit: 1, leaseMs: 60_000 });
    const result = await processOutbound(item, deps);
    assert.equal(result.status, 'done', JSON.stringify(result));
    await store.complete(item.id, WORKER, { outcome: result.status === 'done' ? result.outcome : {}, syncState: result.syncState });
    const forMicrosoft = [...pc.referrals.values()].filter((r) => r.target?.some((t) => t.id === 'msft'));
    assert.equal(forMicrosoft.length, 1, 'one referral for Microsoft');
    assert.equal(forMicrosoft[0].engagementId, own.engagementId, 'tied to the partner referral by its engagementId');
    assert.equal(sf.opportunity.Referral_Id__c, own.id, 'the opportunity keeps its own referral');

    // Another outbound turn (and another retry) finds it and creates nothing more.
    sf.opportunity = { ...sf.opportunity, Description: 'x', LastModifiedDate: pc.tick() };
    assert.equal((await turn('Updated')).status, 'done');
    assert.equal(pc.referrals.size, 2, 'nothing created twice');
  });

  it('a referral whose status the connector does not know (None) is parked naming the referral and the value, not crashed on', async () => {
    assert.equal((await turn('Created')).status, 'done');
    const [referralId] = pc.referrals.keys();
    pc.edit(referralId, (r) => Object.assign(r, { status: 'None', substatus: 'None' }));
    sf.opportunity = { ...sf.opportunity, Amount: 1234, LastModifiedDate: pc.tick() };
    const patches = pc.patches.length;
    const result = await turn('Updated');
    assert.equal(result.status, 'failed');
    assert.ok(result.status === 'failed');
    assert.equal(result.failure.kind, 'park');
    assert.equal(result.failure.code, 'UNKNOWN_VALUE');
    assert.match(result.failure.message, new RegExp(`\\(${referralId}\\) has status "None" \\(known: New, Active, Closed\\); substatus "None"`));
    assert.equal(pc.patches.length, patches, 'nothing was sent');
  });

  it('a kill right after the create leaves the created values behind: a later Microsoft edit does not outvote the seller', async () => {
    // Chaos run, scenario 44: SIGKILL after Partner Center created the referral, before the connector recorded it.
    const create = pc.createReferral.bind(pc);
    pc.createReferral = async (body: Referral) => {
      await create(body);
      throw new Error('the process died before it used the answer');
    };
    await store.enqueue(outboundRequest(opportunityId(), { opportunityId: opportunityId(), reason: 'Created', eventUuid: null, publishedAt: null }, 'test'));
    const [first] = await store.claim(WORKER, { limit: 1, leaseMs: 1 });
    await processOutbound(first, deps).catch(() => undefined); // nothing of this attempt is recorded but its checkpoint
    pc.createReferral = create;
    const [referralId] = pc.referrals.keys();

    // While the connector is down the seller moves the close date; then a Microsoft seller sets the CRM id.
    sf.opportunity = { ...sf.opportunity, CloseDate: '2027-03-31', LastModifiedDate: pc.tick() };
    pc.edit(referralId, (r) => {
      r.trackingInfo = { microsoftMsxId: 'MSX-440002' };
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [item] = await store.claim(WORKER, { limit: 1, leaseMs: 60_000 });
    assert.equal(item.attempts, 2);
    const result = await processOutbound(item, deps);
    assert.equal(result.status, 'done', JSON.stringify(result));
    assert.equal(pc.referrals.size, 1, 'nothing created twice');
    assert.equal(pc.referrals.get(referralId)!.details?.closingDateTime, '2027-03-31T00:00:00Z', "the seller's close date reaches Partner Center");
    assert.equal(pc.referrals.get(referralId)!.trackingInfo?.microsoftMsxId, 'MSX-440002', "Microsoft's CRM id stays");
  });
});
