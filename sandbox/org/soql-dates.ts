/**
 * SOQL date literals (TODAY, LAST_N_DAYS:7, THIS_QUARTER, ...) as half-open GMT ranges [start, end). Fiscal
 * periods equal calendar periods (the default fiscal year starts in January); weeks start on Sunday.
 */

export interface DateRange {
  start: number;
  end: number;
}

type Unit = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';

const DAY_MS = 86_400_000;

function startOf(unit: Unit, t: number): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (unit) {
    case 'DAY':
      return Date.UTC(y, m, d.getUTCDate());
    case 'WEEK':
      return Date.UTC(y, m, d.getUTCDate() - d.getUTCDay());
    case 'MONTH':
      return Date.UTC(y, m, 1);
    case 'QUARTER':
      return Date.UTC(y, m - (m % 3), 1);
    case 'YEAR':
      return Date.UTC(y, 0, 1);
  }
}

function add(unit: Unit, t: number, n: number): number {
  const d = new Date(t);
  switch (unit) {
    case 'DAY':
      return t + n * DAY_MS;
    case 'WEEK':
      return t + n * 7 * DAY_MS;
    case 'MONTH':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate());
    case 'QUARTER':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3 * n, d.getUTCDate());
    case 'YEAR':
      return Date.UTC(d.getUTCFullYear() + n, d.getUTCMonth(), d.getUTCDate());
  }
}

/** `count` whole units starting `offset` units from the current one. */
function span(unit: Unit, now: number, offset: number, count: number): DateRange {
  const start = add(unit, startOf(unit, now), offset);
  return { start, end: add(unit, start, count) };
}

const unitOf = (word: string): Unit => {
  if (word.startsWith('DAY')) return 'DAY';
  if (word.startsWith('WEEK')) return 'WEEK';
  if (word.startsWith('MONTH')) return 'MONTH';
  if (word.startsWith('QUARTER') || word.startsWith('FISCAL_QUARTER')) return 'QUARTER';
  return 'YEAR';
};

const FIXED: Record<string, [Unit, number, number]> = {
  YESTERDAY: ['DAY', -1, 1],
  TODAY: ['DAY', 0, 1],
  TOMORROW: ['DAY', 1, 1],
  LAST_WEEK: ['WEEK', -1, 1],
  THIS_WEEK: ['WEEK', 0, 1],
  NEXT_WEEK: ['WEEK', 1, 1],
  LAST_MONTH: ['MONTH', -1, 1],
  THIS_MONTH: ['MONTH', 0, 1],
  NEXT_MONTH: ['MONTH', 1, 1],
  // LAST_90_DAYS covers today and the 90 days before it; NEXT_90_DAYS starts tomorrow.
  LAST_90_DAYS: ['DAY', -90, 91],
  NEXT_90_DAYS: ['DAY', 1, 90],
  LAST_QUARTER: ['QUARTER', -1, 1],
  THIS_QUARTER: ['QUARTER', 0, 1],
  NEXT_QUARTER: ['QUARTER', 1, 1],
  LAST_YEAR: ['YEAR', -1, 1],
  THIS_YEAR: ['YEAR', 0, 1],
  NEXT_YEAR: ['YEAR', 1, 1],
  LAST_FISCAL_QUARTER: ['QUARTER', -1, 1],
  THIS_FISCAL_QUARTER: ['QUARTER', 0, 1],
  NEXT_FISCAL_QUARTER: ['QUARTER', 1, 1],
  LAST_FISCAL_YEAR: ['YEAR', -1, 1],
  THIS_FISCAL_YEAR: ['YEAR', 0, 1],
  NEXT_FISCAL_YEAR: ['YEAR', 1, 1],
};

/** The range a date literal denotes at `now`, or null when the literal is unknown. */
export function dateLiteralRange(literal: string, now: number): DateRange | null {
  const upper = literal.toUpperCase();
  const fixed = FIXED[upper];
  if (fixed) return span(fixed[0], now, fixed[1], fixed[2]);
  const m = /^(LAST_N|NEXT_N|N)_([A-Z_]+?)(?:_AGO)?:(\d+)$/.exec(upper);
  if (!m) return null;
  const [, kind, unitWord, digits] = m;
  const n = Number(digits);
  const unit = unitOf(unitWord);
  if (kind === 'N') return span(unit, now, -n, 1);
  // LAST_N_DAYS includes today; the week/month/... forms end before the current unit.
  if (kind === 'LAST_N') return unit === 'DAY' ? span('DAY', now, -n, n + 1) : span(unit, now, -n, n);
  return span(unit, now, 1, n);
}
