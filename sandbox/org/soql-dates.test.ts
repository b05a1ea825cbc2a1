import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateLiteralRange } from './soql-dates.js';

// Wednesday 2025-05-14 15:30 GMT.
const NOW = Date.UTC(2025, 4, 14, 15, 30);
const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

describe('SOQL date literals', () => {
  it('covers single days', () => {
    assert.deepEqual(dateLiteralRange('TODAY', NOW), { start: day(2025, 5, 14), end: day(2025, 5, 15) });
    assert.deepEqual(dateLiteralRange('yesterday', NOW), { start: day(2025, 5, 13), end: day(2025, 5, 14) });
    assert.deepEqual(dateLiteralRange('N_DAYS_AGO:3', NOW), { start: day(2025, 5, 11), end: day(2025, 5, 12) });
  });

  it('LAST_N_DAYS includes today, NEXT_N_DAYS starts tomorrow', () => {
    assert.deepEqual(dateLiteralRange('LAST_N_DAYS:7', NOW), { start: day(2025, 5, 7), end: day(2025, 5, 15) });
    assert.deepEqual(dateLiteralRange('NEXT_N_DAYS:2', NOW), { start: day(2025, 5, 15), end: day(2025, 5, 17) });
  });

  it('weeks start on Sunday; months, quarters and years are calendar periods', () => {
    assert.deepEqual(dateLiteralRange('THIS_WEEK', NOW), { start: day(2025, 5, 11), end: day(2025, 5, 18) });
    assert.deepEqual(dateLiteralRange('LAST_MONTH', NOW), { start: day(2025, 4, 1), end: day(2025, 5, 1) });
    assert.deepEqual(dateLiteralRange('THIS_QUARTER', NOW), { start: day(2025, 4, 1), end: day(2025, 7, 1) });
    assert.deepEqual(dateLiteralRange('NEXT_FISCAL_YEAR', NOW), { start: day(2026, 1, 1), end: day(2027, 1, 1) });
    assert.deepEqual(dateLiteralRange('LAST_N_MONTHS:2', NOW), { start: day(2025, 3, 1), end: day(2025, 5, 1) });
  });

  it('returns null for an unknown literal', () => {
    assert.equal(dateLiteralRange('SOMEDAY', NOW), null);
  });
});
