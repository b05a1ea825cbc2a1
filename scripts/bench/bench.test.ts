/**
 * The benchmark in small: 10 changes each way and a 200-referral backfill against the real sandbox. Call counts
 * are deterministic and asserted; times depend on the machine and are only checked to be measured.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { checks, table, toResult, type BenchResult, type BenchRun } from './report.js';
import { runBenchmark } from './run.js';

describe('npm run bench (smoke)', { timeout: 120_000 }, () => {
  let run: BenchRun;
  let result: BenchResult;
  before(async () => {
    run = await runBenchmark({ changes: 10, records: 5, backfill: 200 });
    result = toResult(run);
  });

  it('writes exactly the documented JSON shape', () => {
    assert.deepEqual(Object.keys(result), ['outboundLatencyMs', 'inboundLatencyMs', 'backfill', 'pcCallsPerOutboundChange', 'sfCallsPerInboundReferral']);
    assert.deepEqual(Object.keys(result.outboundLatencyMs), ['p50', 'p95']);
    assert.deepEqual(Object.keys(result.inboundLatencyMs), ['p50', 'p95']);
    assert.deepEqual(Object.keys(result.backfill), ['referrals', 'seconds']);
    assert.equal(result.backfill.referrals, 200);
    for (const value of [result.outboundLatencyMs.p50, result.outboundLatencyMs.p95, result.inboundLatencyMs.p50, result.inboundLatencyMs.p95, result.backfill.seconds]) {
      assert.ok(Number.isFinite(value) && value > 0, `${value} is a measured time`);
    }
    assert.ok(result.outboundLatencyMs.p50 <= result.outboundLatencyMs.p95);
    assert.equal(run.outbound.latency.count, 10);
    assert.equal(run.inbound.latency.count, 10);
  });

  it('patches Partner Center once per outbound change, with the known eTag and no read, even for the echo', () => {
    assert.equal(result.pcCallsPerOutboundChange, 1);
    assert.deepEqual(run.outbound.byRoute.partnerCenter, { 'PATCH /v1.0/engagements/referrals/:id': 10 });
  });

  it('reads each changed referral once for an inbound change', () => {
    assert.deepEqual(run.inbound.byRoute.partnerCenter, { 'GET /v1.0/engagements/referrals/:id': 10 });
  });

  it('backfills 200 referrals with one batch of collection and composite calls', () => {
    assert.equal(run.backfill.opportunities, 200);
    // A batch costs 8 calls (2 composite reads; account, contact and opportunity collections; one composite for
    // roles and solutions; the re-read; one composite for sync logs and events); sign-in, describe, the settings
    // and org reads and the Pending sweep's query come on top once.
    assert.ok(run.backfill.salesforceCalls <= 8 + 5, `${run.backfill.salesforceCalls} Salesforce calls: ${JSON.stringify(run.backfill.byRoute.salesforce)}`);
    assert.equal(run.backfill.byRoute.salesforce['POST /services/data/vXX.X/composite'], 4);
    assert.equal(run.backfill.byRoute.salesforce['PATCH /services/data/vXX.X/composite/sobjects/:type/:field'], 1);
    // The sweep lists 200 referrals in pages of 100; no referral is read one by one.
    assert.equal(run.backfill.byRoute.partnerCenter['GET /v1.0/engagements/referrals'], 2);
    assert.equal(run.backfill.byRoute.partnerCenter['GET /v1.0/engagements/referrals/:id'], undefined);
  });

  it('reports every target and flags a missed one', () => {
    const fast: BenchResult = { ...result, outboundLatencyMs: { p50: 40, p95: 90 }, inboundLatencyMs: { p50: 80, p95: 150 }, backfill: { referrals: 200, seconds: 1.5 }, pcCallsPerOutboundChange: 1, sfCallsPerInboundReferral: 0.04 };
    assert.deepEqual(checks(fast, run).map((c) => c.met), [true, true, true, true, true]);
    const slow = { ...fast, inboundLatencyMs: { p50: 900, p95: 2500 } };
    const missed = checks(slow, run).filter((c) => !c.met);
    assert.deepEqual(missed.map((c) => c.measure), ['Inbound latency, Partner Center → Salesforce (10 changes)']);
    assert.match(table(checks(slow, run)), /MISSED/);
  });
});
