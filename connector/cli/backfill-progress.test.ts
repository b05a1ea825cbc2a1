import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backfillProgress, formatBackfill, parseBackfill, showBackfillProgress } from './backfill-progress.js';

test('progress is done / total with the rate since the start and the time left at that rate', () => {
  const progress = backfillProgress({ startedAt: 0, total: 10_000 }, 6_000, 20_000);
  assert.deepEqual({ ...progress }, { total: 10_000, done: 4_000, remaining: 6_000, rate: 200, etaSeconds: 30, complete: false, startedAt: 0 });
  assert.equal(formatBackfill(progress), '4000 / 10000 referrals (40%), 200.0/s, ETA 30 s');
  assert.equal(formatBackfill(backfillProgress({ startedAt: 0, total: 10_000 }, 9_990, 1_000)), '10 / 10000 referrals (0%), 10.0/s, ETA 16 min 39 s');
});

test('nothing done yet has no rate or ETA; inbound work beyond the backfill never makes done negative', () => {
  const progress = backfillProgress({ startedAt: 0, total: 50 }, 80, 5_000);
  assert.equal(progress.done, 0);
  assert.equal(formatBackfill(progress), '0 / 50 referrals (0%), rate unknown yet, ETA unknown');
  assert.equal(formatBackfill(backfillProgress({ startedAt: 0, total: 50 }, 0, 5_000)), 'complete: 50 referrals');
});

test('only the cursor the sweep writes is read as a backfill', () => {
  assert.deepEqual(parseBackfill('{"startedAt":5,"total":3}'), { startedAt: 5, total: 3 });
  for (const text of [null, '', 'not json', '{"total":3}', '{"startedAt":5,"total":0}', '[]']) assert.equal(parseBackfill(text), null, String(text));
});

test('on a terminal the progress line redraws in place and ends when the backfill completes', async () => {
  let waiting = 30;
  const written: string[] = [];
  const store = {
    getCursor: async () => JSON.stringify({ startedAt: 0, total: 30 }),
    stats: async () => ({ depth: { outbound: 0, inbound: waiting, sweep: 0 }, running: 0, dead: { outbound: 0, inbound: 0, sweep: 0 }, lastSuccessAt: { outbound: null, inbound: null, sweep: null }, oldestDueAt: null }),
  };
  const stop = showBackfillProgress(store, (text) => written.push(text), 10, () => 10_000);
  for (const left of [20, 0]) {
    await new Promise((resolve) => setTimeout(resolve, 40));
    waiting = left;
  }
  await new Promise((resolve) => setTimeout(resolve, 40));
  stop();
  assert.ok(written[0].startsWith('\r\x1b[2KBackfill: 0 / 30 referrals'), JSON.stringify(written[0]));
  assert.ok(written.some((line) => line.includes('10 / 30 referrals (33%), 1.0/s, ETA 20 s')), JSON.stringify(written));
  assert.equal(written.at(-1), '\r\x1b[2KBackfill: complete: 30 referrals\n');
  assert.equal(written.filter((line) => line.endsWith('\n')).length, 1);
});
