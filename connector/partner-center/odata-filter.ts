/**
 * Typed builder for the `$filter` of GET /referrals. Only the properties "Get a list of referrals"
 * (https://learn.microsoft.com/partner-center/developer/get-a-list-of-referrals) filters on in its examples can be
 * expressed — engagementId, status, substatus, qualification, type, direction, customer country and
 * `team/any(t:t/email eq …)` — values are typed by the shared enums, and string literals are escaped, so a filter
 * can never be malformed by a customer name containing a quote. The dates appear only in `$orderby`; a filter on
 * them is not documented, so the builder cannot express one (the sweeps read `$orderby=updatedDateTime desc`).
 */
import type { Direction, ReferralStatus, ReferralSubstatus, ReferralType } from '../model/referral.js';

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type EqualityOperator = 'eq' | 'ne';

/** An OData `$filter` expression; build with `referralFilter`, render with `toString()`. */
export class ODataFilter {
  /** Expressions combined with and/or are parenthesised, so precedence is always what the code says. */
  constructor(
    readonly expression: string,
    private readonly compound = false,
  ) {}

  toString(): string {
    return this.expression;
  }

  grouped(): string {
    return this.compound ? `(${this.expression})` : this.expression;
  }
}

/** OData string literal: single-quoted, embedded quotes doubled (OData ABNF `SQUOTE-in-string`). */
export function stringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** OData DateTimeOffset literal: unquoted ISO 8601 in UTC. */
export function dateTimeLiteral(value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a valid date-time: ${String(value)}`);
  return date.toISOString();
}

const compare = (property: string, op: ComparisonOperator, literal: string) => new ODataFilter(`${property} ${op} ${literal}`);

function combine(operator: 'and' | 'or', filters: ODataFilter[]): ODataFilter {
  if (filters.length === 0) throw new RangeError(`${operator}() needs at least one filter`);
  if (filters.length === 1) return filters[0];
  return new ODataFilter(filters.map((f) => f.grouped()).join(` ${operator} `), true);
}

export const referralFilter = {
  engagementId: (value: string, op: EqualityOperator = 'eq') => compare('engagementId', op, stringLiteral(value)),
  status: (value: ReferralStatus, op: EqualityOperator = 'eq') => compare('status', op, stringLiteral(value)),
  substatus: (value: ReferralSubstatus, op: EqualityOperator = 'eq') => compare('substatus', op, stringLiteral(value)),
  type: (value: ReferralType, op: EqualityOperator = 'eq') => compare('type', op, stringLiteral(value)),
  direction: (value: Direction, op: EqualityOperator = 'eq') => compare('direction', op, stringLiteral(value)),
  /** Referrals with this email on their team, in the documented lambda form `team/any(t:t/email eq '...')`. */
  email: (value: string) => new ODataFilter(`team/any(t:t/email eq ${stringLiteral(value)})`),
  and: (...filters: ODataFilter[]) => combine('and', filters),
  or: (...filters: ODataFilter[]) => combine('or', filters),
  not: (filter: ODataFilter) => new ODataFilter(`not (${filter.expression})`),
};

export type OrderBy = `${'createdDateTime' | 'updatedDateTime'} ${'asc' | 'desc'}`;

export interface ListReferralsQuery {
  filter?: ODataFilter;
  orderBy?: OrderBy;
  /** `$top` (the page's sample requests); `$skip` is not documented: paging follows `@odata.nextLink`. */
  top?: number;
}

/** Renders the query as URL search parameters (`$filter`, `$orderby`, `$top`). */
export function listQueryParams(query: ListReferralsQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.filter) params.set('$filter', query.filter.toString());
  if (query.orderBy) params.set('$orderby', query.orderBy);
  for (const [name, value] of [['$top', query.top]] as const) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
    params.set(name, String(value));
  }
  return params;
}
