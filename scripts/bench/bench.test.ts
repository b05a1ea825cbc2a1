/**
 * The benchmark in small: 10 changes each way and a 200-referral backfill (with a 100-referral reference)
 * against the real sandbox, the connector in its own process. Call counts are deterministic and asserted; times
 * depend on the machine and are only checked to be measured.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { checks, table, toResult, type BenchResult, type BenchRun } from './report.js';
import { runBenchmark } from './run.js';

describe('npm run bench (smoke)', { timeout: 240_000 }, () => {
  let run: BenchRun;
  let result: BenchResult;
  before(async () => {
    run = await runBenchmark({ changes: 10, records: 5, backfill: 200, references: [100], latency: 'none' });
    result = toResult(run);
  });

  it('writes exactly the documented JSON shape, each figure with its physical limit', () => {
    assert.deepEqual(Object.keys(result), [
      'latencyProfile',
      'outboundLatencyMs',
      'inboundLatencyMs',
      'backfill',
      'references',
      'sfCallsPerOutboundChange',
      'sfCallsPerInboundChange',
      'pcCallsPerOutboundChange',
      'pcCallsPerInboundChange',
      'sfCallsPerBackfilledReferral',
    ]);
    assert.equal(result.latencyProfile, 'none');
    for (const latency of [result.outboundLatencyMs, result.inboundLatencyMs]) {
      assert.deepEqual(Object.keys(latency), ['p50', 'p95', 'limitP50', 'limitP95']);
      assert.ok(latency.p50 <= latency.p95);
      // The whole path costs more than one call each way.
      assert.ok(latency.p50 > latency.limitP50, `${latency.p50} ms is above its limit ${latency.limitP50} ms`);
    }
    assert.deepEqual(Object.keys(result.backfill), ['referrals', 'seconds', 'limitSeconds', 'msPerReferral', 'connectorCpuMsPerReferral', 'standInCpuMsPerReferral', 'connectorPeakRssMb']);
    assert.equal(result.backfill.referrals, 200);
    assert.deepEqual(result.references.map((r) => r.referrals), [100]);
    for (const value of [result.outboundLatencyMs.p50, result.inboundLatencyMs.p50, result.backfill.seconds, result.backfill.limitSeconds]) {
      assert.ok(Number.isFinite(value) && value > 0, `${value} is a measured time`);
    }
    assert.equal(run.outbound.latency.count, 10);
    assert.equal(run.inbound.latency.count, 10);
  });

  it('runs the connector in a process of its own and reads its CPU time and memory', () => {
    for (const backfill of [run.backfill, ...run.references]) {
      assert.ok(backfill.cpuSeconds.connector > 0, `connector CPU ${backfill.cpuSeconds.connector} s`);
      assert.ok((backfill.connectorPeakRssMb ?? 0) > 0);
    }
  });

  it('patches Partner Center once per outbound change, with the known eTag and no read, even for the echo', () => {
    assert.equal(result.pcCallsPerOutboundChange, 1);
    assert.deepEqual(run.outbound.byRoute.partnerCenter, { 'PATCH /v1.0/engagements/referrals/:id': 10 });
  });

  it('spends no Salesforce call on the echo of its own PATCH', () => {
    // The echo's look-ups were composite reads: the one composite left per change is the sync log with its
    // status event. The connector already holds the version of the referral its PATCH answered.
    assert.equal(run.outbound.byRoute.salesforce['POST /services/data/vXX.X/composite'], 10, JSON.stringify(run.outbound.byRoute.salesforce));
  });

  it('reads each changed referral once for an inbound change', () => {
    assert.equal(result.pcCallsPerInboundChange, 1);
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

  it('reports every target with its limit and ratio, and flags a missed one', () => {
    const fast: BenchResult = {
      ...result,
      outboundLatencyMs: { p50: 40, p95: 90, limitP50: 4, limitP95: 9 },
      inboundLatencyMs: { p50: 80, p95: 150, limitP50: 4, limitP95: 9 },
      backfill: { ...result.backfill, referrals: 200, seconds: 1.5, msPerReferral: 7.5, connectorCpuMsPerReferral: 2, standInCpuMsPerReferral: 2 },
      references: [{ ...result.references[0], msPerReferral: 7, connectorCpuMsPerReferral: 2, standInCpuMsPerReferral: 2 }],
      sfCallsPerOutboundChange: 3,
      sfCallsPerInboundChange: 2,
      pcCallsPerOutboundChange: 1,
      pcCallsPerInboundChange: 1,
      sfCallsPerBackfilledReferral: 0.04,
    };
    const rows = checks(fast, run);
    assert.deepEqual(rows.filter((c) => !c.met), []);
    assert.equal(rows[0].ratio, 'p50 10.00×, p95 10.00×');
    const slow = { ...fast, inboundLatencyMs: { ...fast.inboundLatencyMs, p95: 2500 }, references: [{ ...fast.references[0], connectorCpuMsPerReferral: 1.5 }], sfCallsPerInboundChange: 3 };
    const missed = checks(slow, run).filter((c) => !c.met);
    assert.deepEqual(missed.map((c) => c.measure), [
      'Inbound latency, Partner Center → Salesforce (10 changes, whole path)',
      'Connector CPU per referral, 200 against 100',
      'Salesforce calls per inbound change',
    ]);
    assert.match(table(checks(slow, run)), /MISSED/);
  });
});
