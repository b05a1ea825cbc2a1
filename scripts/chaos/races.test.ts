/**
 * The race suite, short: each of the three seller-edit-during-sync races ten times on a fixed seed (the long run
 * is `npm run chaos -- --races 100`). Every edit must end on both sides, the opportunity Synced with the mark.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RACE_KINDS, raceSummary, runRaces } from './races.js';

describe('race suite: seller edits during a sync', () => {
  it('loses no rename and no undelivered edit made while a sync is in flight', { timeout: 120_000 }, async () => {
    const report = await runRaces({ seed: 41, rounds: 10, deals: 6 });
    const explain = raceSummary(report);
    for (const kind of RACE_KINDS) assert.equal(report.edits[kind], 10, explain);
    assert.ok(report.failedDeliveries >= 20, `every undelivered round made its callout fail\n${explain}`);
    assert.deepEqual(report.losses, [], explain);
  });
});
