/**
 * Scale-out on Postgres: two connector instances, each a process of its own (fixtures/instance.ts), share one
 * Postgres database and work against one Partner Center emulator and one local org run by this process.
 *
 * 1. One instance, then two, each work a fresh batch of outbound items (several per opportunity, never merged):
 *    every item completes exactly once, each opportunity's items run one at a time in order, Partner Center sees
 *    exactly the two documented creates per co-sell opportunity and no other write; the batches' throughput is reported.
 * 2. With Partner Center slowed down, one instance is killed with SIGKILL mid-work: the other takes over the
 *    items it held once their leases expire, and finishes everything — nothing is lost, stuck or done twice.
 *
 * Needs a Postgres server (COSELL_TEST_POSTGRES_URL; `npm run test:postgres` starts one); skipped otherwise.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from 'pg';
import { emulatorEndpoint } from '../../sandbox/stack/partner-center.js';
import { PostgresStore } from '../../connector/store/postgres-store.js';
import type { WorkItem } from '../../connector/queue/types.js';
import { outboundRequest } from '../../connector/queue/lanes.js';
import { ACTIVE_STAGE, startLocalOrg, type LocalOrg } from '../../sandbox/org/index.js';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import type { InstanceEvent, InstanceStack } from './fixtures/instance.js';

const serverUrl = process.env.COSELL_TEST_POSTGRES_URL;
const INSTANCE = fileURLToPath(new URL('./fixtures/instance.ts', import.meta.url));
const LEASE_MS = 5000;
const CONCURRENCY = 4;
const ITEMS_PER_OPPORTUNITY = 3;
const REFERRALS_ROUTE = '/v1.0/engagements/referrals';

type Claimed = Extract<InstanceEvent, { ev: 'claimed' }>;
type Completed = Extract<InstanceEvent, { ev: 'completed' }>;

/** A connector process and what it reported. */
class Instance {
  readonly events: InstanceEvent[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly ready: Promise<void>;
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';

  constructor(
    readonly workerId: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', INSTANCE], { env: { ...process.env, NODE_NO_WARNINGS: '1', ...env } });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    let buffered = '';
    let markReady: () => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      void this.exited.then(({ code, signal }) => reject(new Error(`instance ${workerId} exited (${code ?? signal}) before it was ready:\n${this.stderr}`)));
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const event = JSON.parse(line) as InstanceEvent;
        this.events.push(event);
        if (event.ev === 'ready') markReady();
      }
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
  }

  start(): void {
    this.child.stdin.write('start\n');
  }

  /** Items claimed and not (yet) completed by this instance. */
  inFlight(): Claimed[] {
    const completed = new Set(this.events.filter((e) => e.ev === 'completed').map((e) => e.id));
    return this.events.filter((e): e is Claimed => e.ev === 'claimed' && !completed.has(e.id));
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('scale-out: two connector instances on one Postgres database', serverUrl ? {} : { skip: 'no Postgres server: set COSELL_TEST_POSTGRES_URL, or run `npm run test:postgres`' }, () => {
  const database = `cosell_scale_${process.pid}_${randomBytes(3).toString('hex')}`;
  let admin: Client;
  let storeUrl: string;
  let store: PostgresStore;
  let org: LocalOrg;
  let pc: PartnerCenterEmulator;
  const instances: Instance[] = [];
  let opportunityCount = 0;

  before(async () => {
    admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${database}`;
    storeUrl = url.toString();
    store = await PostgresStore.open({ url: storeUrl });
    org = await startLocalOrg();
    pc = await startPartnerCenterEmulator();
  });

  after(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await store?.close();
    await Promise.all([org?.close(), pc?.close()]);
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });

  function launch(workerId: string): Instance {
    const stack: InstanceStack = {
      salesforce: { loginUrl: org.loginUrl, apiVersion: org.apiVersion, clientId: org.integrationCredentials.clientId, clientSecret: org.integrationCredentials.clientSecret },
      // Refresh tokens are single-use: each instance signs in with its own.
      partnerCenter: emulatorEndpoint(pc),
    };
    const instance = new Instance(workerId, {
      COSELL_STORE_URL: storeUrl,
      COSELL_SCALE_STACK: JSON.stringify(stack),
      COSELL_SCALE_WORKER_ID: workerId,
      COSELL_WORKER_CONCURRENCY: String(CONCURRENCY),
      COSELL_LEASE_MS: String(LEASE_MS),
    });
    instances.push(instance);
    return instance;
  }

  /** Opportunities ready to co-sell (account with a country, contact role, solution), sync switched on. */
  function createOpportunities(count: number): string[] {
    const { records } = org.control;
    const seller = { as: 'seller' };
    const [solutionId, detailId] = Object.entries(org.seeded!.solutionDetails)[0];
    return Array.from({ length: count }, () => {
      const n = ++opportunityCount;
      const accountId = records.create('Account', { Name: `Scale Customer ${n}`, BillingStreet: '1 Main St', BillingCity: 'Redmond', BillingPostalCode: '98052', BillingCountry: 'US' }, seller);
      const contactId = records.create('Contact', { AccountId: accountId, FirstName: 'Casey', LastName: `Buyer ${n}`, Email: `casey.${n}@scale.example` }, seller);
      const opportunityId = records.create(
        'Opportunity',
        {
          Name: `Scale-out deal ${n}`,
          AccountId: accountId,
          Amount: 100_000 + n,
          CurrencyIsoCode: 'USD',
          CloseDate: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
          StageName: ACTIVE_STAGE,
          Microsoft_Help__c: 'CustomerTechnicalArchitecture',
          Visible_To_Microsoft_Sellers__c: true,
        },
        seller,
      );
      records.create('OpportunityContactRole', { OpportunityId: opportunityId, ContactId: contactId, Role: 'Decision Maker', IsPrimary: true }, seller);
      records.create('Microsoft_Solution__c', { Opportunity__c: opportunityId, Solution_Id__c: solutionId, Solution_Detail__c: detailId }, seller);
      records.update('Opportunity', opportunityId, { Sync_With_Partner_Center__c: true }, seller);
      return opportunityId;
    });
  }

  /** Several items per opportunity, interleaved across opportunities and never merged, so each lane holds a queue. */
  async function enqueueWork(opportunityIds: string[]): Promise<number[]> {
    const requests = Array.from({ length: ITEMS_PER_OPPORTUNITY }, (_, round) =>
      opportunityIds.map((id) => ({ ...outboundRequest(id, { opportunityId: id, reason: `scale-out ${round}`, eventUuid: null, publishedAt: null }, 'test'), coalesce: false })),
    ).flat();
    return (await store.enqueueMany(requests)).map((r) => r.id);
  }

  async function allDone(ids: number[]): Promise<WorkItem[]> {
    const wanted = new Set(ids);
    return until(
      async () => {
        const items = (await store.listItems({ limit: 100_000 })).filter((i) => wanted.has(i.id));
        return items.every((i) => i.status === 'done' || i.status === 'dead') && items;
      },
      `${ids.length} items to finish`,
      120_000,
    );
  }

  /**
   * An instance reports a completion on its stdout after the store committed it, so the database can show every
   * item done before the last report has crossed the pipe. Wait (bounded) for the reports; the assertions judge them.
   */
  async function reportsArrived(instances: Instance[], ids: number[]): Promise<void> {
    const wanted = new Set(ids);
    const reported = () => new Set(instances.flatMap((i) => i.events).filter((e): e is Completed => e.ev === 'completed' && e.ok && wanted.has(e.id)).map((e) => e.id)).size;
    await until(() => reported() >= wanted.size, 'the completion reports', 10_000).catch(() => undefined);
  }

  function callsTo(method: string): number {
    return Object.entries(pc.stats().byRoute)
      .filter(([route]) => route.startsWith(`${method} ${REFERRALS_ROUTE}`))
      .reduce((sum, [, s]) => sum + s.total, 0);
  }

  /**
   * What every batch must show: each item done exactly once (one successful completion, nothing failed), each
   * lane's items run one at a time in id order, and in Partner Center one referral per opportunity, linked on
   * the opportunity, created once and never written again.
   */
  function assertExactlyOnceInOrder(items: WorkItem[], opportunityIds: string[], events: InstanceEvent[], orphaned = new Set<number>()): void {
    assert.deepEqual(
      items.filter((i) => i.status !== 'done').map((i) => `#${i.id} ${i.status}: ${i.lastError?.message}`),
      [],
      'every item is done',
    );
    const ids = new Set(items.map((i) => i.id));
    const failed = events.filter((e) => e.ev === 'failed' && ids.has(e.id));
    assert.deepEqual(failed, [], 'no attempt failed');
    const successes = events.filter((e): e is Completed => e.ev === 'completed' && e.ok && ids.has(e.id));
    assert.equal(successes.length, items.length, 'one successful completion per item');
    assert.equal(new Set(successes.map((e) => e.id)).size, items.length, 'no item completed twice');
    assert.ok(successes.every((e) => e.result === 'created' || e.result === 'unchanged'), 'first item creates, the rest find the referral up to date');

    // Per lane: the next item is claimed only after the previous one was being recorded as done.
    const completedAt = new Map(successes.map((e) => [e.id, e]));
    const lastClaim = new Map<number, Claimed>();
    for (const e of events) if (e.ev === 'claimed' && ids.has(e.id)) lastClaim.set(e.id, e);
    const lanes = new Map<string, WorkItem[]>();
    for (const item of items) lanes.set(item.key, [...(lanes.get(item.key) ?? []), item]);
    for (const [key, lane] of lanes) {
      lane.sort((a, b) => a.id - b.id);
      // An item whose instance died after the create finds the referral on its second attempt: "unchanged".
      const first = completedAt.get(lane[0].id)!.result;
      assert.ok(first === 'created' || (orphaned.has(lane[0].id) && first === 'unchanged'), `${key}: its first item created the referral (${first})`);
      for (let i = 1; i < lane.length; i++) {
        const previous = completedAt.get(lane[i - 1].id)!;
        const next = lastClaim.get(lane[i].id)!;
        assert.ok(next.at >= previous.calledAt, `${key}: item #${lane[i].id} was claimed at ${next.at}, before #${lane[i - 1].id} finished at ${previous.calledAt}`);
      }
    }

    const referrals = pc.control.referrals.all();
    const microsofts = new Set(referrals.map((r) => pc.control.referrals.connectedReferralId(r.id!)).filter(Boolean));
    for (const opportunityId of opportunityIds) {
      const ours = referrals.filter((r) => r.externalReferenceId === opportunityId && !microsofts.has(r.id!));
      assert.equal(ours.length, 1, `exactly one referral for ${opportunityId}`);
      assert.equal(org.control.records.get(opportunityId)!.Referral_Id__c, ours[0].id, `${opportunityId} links its referral`);
    }
  }

  /** Runs one batch on the given instances and returns its throughput in items per second. */
  async function batch(t: TestContext, label: string, running: Instance[], opportunities: number): Promise<number> {
    const opportunityIds = createOpportunities(opportunities);
    pc.control.resetStats();
    const eventsBefore = running.map((i) => i.events.length);
    const started = Date.now();
    const ids = await enqueueWork(opportunityIds);
    const items = await allDone(ids);
    const seconds = (Date.now() - started) / 1000;
    await reportsArrived(running, ids);
    const events = running.flatMap((instance, n) => instance.events.slice(eventsBefore[n]));
    assertExactlyOnceInOrder(items, opportunityIds, events);
    const claims = events.filter((e): e is Claimed => e.ev === 'claimed');
    assert.equal(claims.length, items.length, 'each item was claimed once');
    // A co-sell deal is shared in the documented two calls: the partner's referral, then Microsoft's carrying its engagementId.
    assert.equal(callsTo('POST'), 2 * opportunities, 'two creates per co-sell opportunity, and no more');
    assert.equal(callsTo('PATCH'), 0, 'no other write to Partner Center');
    const share = running.map((i) => `${i.workerId} ${claims.filter((c) => c.workerId === i.workerId).length}`).join(', ');
    const throughput = items.length / seconds;
    t.diagnostic(`${label}: ${items.length} items over ${opportunities} opportunities in ${seconds.toFixed(2)} s = ${throughput.toFixed(1)} items/s (${share})`);
    return throughput;
  }

  it('shares the work exactly once and in order, then survives SIGKILL of one instance', { timeout: 600_000 }, async (t) => {
    const [a, b] = [launch('instance-a'), launch('instance-b')];
    await Promise.all([a.ready, b.ready]);

    a.start();
    await batch(t, '1 instance', [a], 20);
    b.start();
    const both = await batch(t, '2 instances', [a, b], 20);
    assert.ok(both > 0);
    const claimsBy = (instance: Instance) => instance.events.filter((e) => e.ev === 'claimed').length;
    assert.ok(claimsBy(b) > 0 && claimsBy(a) > 0, 'both instances took work');

    // Slow Partner Center so items are in flight when instance A dies.
    pc.control.faults.set({ latencyMs: 150 });
    const opportunityIds = createOpportunities(12);
    pc.control.resetStats();
    const eventsBefore = [a.events.length, b.events.length];
    const ids = await enqueueWork(opportunityIds);
    const held = await until(() => {
      const flying = a.inFlight().filter((e) => ids.includes(e.id));
      return flying.length >= 2 && flying;
    }, 'instance A to hold work', 60_000);
    await a.kill();
    const killedAt = Date.now();
    const orphaned = a.inFlight().filter((e) => ids.includes(e.id));
    assert.ok(orphaned.length >= held.length, 'the killed instance held items');

    const items = await allDone(ids);
    pc.control.faults.reset();
    await reportsArrived([a, b], ids);
    const events = [...a.events.slice(eventsBefore[0]), ...b.events.slice(eventsBefore[1])];
    const orphanIds = new Set(orphaned.map((o) => o.id));
    assertExactlyOnceInOrder(items, opportunityIds, events, orphanIds);
    const claims = events.filter((e): e is Claimed => e.ev === 'claimed');
    for (const lost of orphaned) {
      const taken = claims.filter((c) => c.id === lost.id && c.workerId === 'instance-b');
      assert.equal(taken.length, 1, `#${lost.id}, held by the killed instance, was taken over once`);
      // The store hands it out only once the lease A took (at or after A asked) has run out.
      assert.ok(taken[0].at >= lost.calledAt + LEASE_MS, `#${lost.id} was re-claimed ${taken[0].at - lost.calledAt} ms after A claimed it`);
      assert.equal(taken[0].attempts, 2);
    }
    for (const item of items) {
      assert.equal(claims.filter((c) => c.id === item.id).length, orphanIds.has(item.id) ? 2 : 1, `#${item.id} claimed ${orphanIds.has(item.id) ? 'twice (A died)' : 'once'}`);
    }
    assert.equal(callsTo('POST'), 2 * opportunityIds.length, "a create the killed instance may have sent is found again, not repeated (two documented calls per co-sell deal)");
    assert.equal(callsTo('PATCH'), 0);
    const stats = await store.stats();
    assert.equal(stats.running + stats.depth.outbound + stats.depth.inbound + stats.depth.sweep, 0, 'nothing stuck');
    assert.deepEqual(stats.dead, { outbound: 0, inbound: 0, sweep: 0 }, 'nothing parked');
    t.diagnostic(
      `SIGKILL: instance A died holding ${orphaned.length} item(s); instance B took them over ${Math.round(Math.min(...claims.filter((c) => orphanIds.has(c.id) && c.workerId === 'instance-b').map((c) => c.at)) - killedAt)} ms after the kill and finished all ${items.length}`,
    );
  });
});
