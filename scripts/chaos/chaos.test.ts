/**
 * The chaos suite, short: five fixed-seed scenarios (one of them SIGKILLs the connector mid-work) through the
 * whole sandbox with faults injected, then the convergence checks. The full run is `npm run chaos`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureDetail, summaryText } from './report.js';
import { passed, runChaos } from './run.js';

describe('chaos: faults, kills and forgeries through the sandbox', () => {
  it('five fixed-seed scenarios converge with nothing lost, nothing applied twice and every forgery refused', { timeout: 150_000 }, async () => {
    const report = await runChaos({ seed: 7, scenarios: 5, killEvery: 4, killChance: 0, deadlineMs: 40_000, logLevel: 'warn' });
    const explain = () => [summaryText(report), ...report.results.filter((r) => !r.ok).map(failureDetail)].join('\n');
    assert.equal(report.scenarios, 5);
    assert.ok(report.results.some((r) => r.faults.kills > 0), 'one scenario kills the connector');
    assert.ok(report.connectorStarts >= 2, 'the connector was started again after the kill');
    const pcFaults = report.faultsByKind.rateLimits + report.faultsByKind.serverErrors + report.faultsByKind.timeouts;
    assert.ok(pcFaults > 0 && report.faultsByKind.webhooksDropped > 0, explain());
    assert.ok(report.forgeries > 0 && report.rejectedForgeries === report.forgeries, explain());
    assert.ok(passed(report), explain());
    assert.equal(report.lost, 0);
    assert.equal(report.duplicated, 0);
  });
});
