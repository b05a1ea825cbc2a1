/**
 * OData query support for GET /referrals, as "Get a list of referrals" documents it
 * (https://learn.microsoft.com/partner-center/developer/get-a-list-of-referrals): "Supported OData operations"
 * are `$select`, `$filter` and `$orderby` (createdDateTime or updatedDateTime); its sample requests add `$top`; the
 * response is `{ "@odata.context", "@odata.count", "value": [...], "@odata.nextLink" }` with a `$skiptoken`.
 * `$filter` is parsed by @odata/parser (an OData v4 ABNF parser) and evaluated against stored referrals, on the
 * properties the page's examples filter on only. Anything else (`$skip`, a filter on a date, on
 * externalReferenceId, …) is undocumented and refused with 400, so the connector cannot come to depend on it.
 */
import { defaultParser } from '@odata/parser';
import type { Referral } from './referral-model.js';
import { invalidRequest } from './errors.js';

/** The shape @odata/parser produces; only `type`, `value` and `raw` are needed to evaluate it. */
interface AstNode {
  type: string;
  value: unknown;
  raw: string;
}

type Scope = { root: Referral; lambda?: { name: string; value: unknown } };
type Predicate = (referral: Referral) => boolean;

/**
 * The properties the page's `$filter` examples and sample requests use: engagementId, status, qualification,
 * customerProfile/address/country, direction, type, substatus, and `team/any(t:t/email eq '…')`.
 */
const FILTERABLE = new Set([
  'engagementId',
  'status',
  'substatus',
  'type',
  'direction',
  'qualification',
  'customerProfile/address/country',
  'team/email',
]);

const DATE_PROPERTIES = new Set<string>();

const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  EqualsExpression: (a, b) => a === b,
  NotEqualsExpression: (a, b) => a !== b,
  LesserThanExpression: (a, b) => a < b,
  LesserOrEqualsExpression: (a, b) => a <= b,
  GreaterThanExpression: (a, b) => a > b,
  GreaterOrEqualsExpression: (a, b) => a >= b,
};

const WRAPPERS = new Set(['CommonExpression', 'BoolParenExpression', 'ParenExpression', 'BoolCommonExpression']);

function node(value: unknown): AstNode {
  return value as AstNode;
}

function literal(n: AstNode): unknown {
  const raw = n.raw;
  switch (n.value) {
    case 'null':
      return null;
    case 'Edm.String':
      return raw.slice(1, -1).replace(/''/g, "'");
    case 'Edm.Boolean':
      return raw.toLowerCase() === 'true';
    case 'Edm.DateTimeOffset':
    case 'Edm.Date':
      return { date: Date.parse(raw) };
    default:
      if (/^Edm\.(Int|Decimal|Double|Single|Byte|SByte)/.test(String(n.value))) return Number(raw);
      return raw;
  }
}

/** Flattens a member path (`customerProfile/address/country`, `t/email`) into segment names. */
function memberPath(n: AstNode): { lambdaVariable?: string; segments: string[]; any?: AstNode } {
  const segments: string[] = [];
  let lambdaVariable: string | undefined;
  let any: AstNode | undefined;
  const walk = (x: AstNode): void => {
    switch (x.type) {
      case 'FirstMemberExpression':
      case 'MemberExpression':
      case 'SingleNavigationExpression':
        if (Array.isArray(x.value)) x.value.forEach((v) => walk(node(v)));
        else walk(node(x.value));
        return;
      case 'LambdaVariableExpression':
        lambdaVariable = (x.value as { name: string }).name;
        return;
      case 'ODataIdentifier':
        segments.push((x.value as { name: string }).name);
        return;
      case 'PropertyPathExpression': {
        const v = x.value as { current?: AstNode; next?: AstNode } & AstNode;
        if (v.current) {
          walk(v.current);
          if (v.next) walk(v.next);
        } else walk(node(v));
        return;
      }
      case 'CollectionPathExpression':
        walk(node(x.value));
        return;
      case 'AnyExpression':
        any = x;
        return;
      default:
        throw invalidRequest(`The $filter expression '${x.raw}' is not supported.`, '$filter');
    }
  };
  walk(n);
  return { lambdaVariable, segments, any };
}

function resolve(scope: Scope, path: { lambdaVariable?: string; segments: string[] }): unknown {
  let current: unknown;
  if (path.lambdaVariable) {
    if (scope.lambda?.name !== path.lambdaVariable) {
      throw invalidRequest(`Unknown lambda variable '${path.lambdaVariable}' in $filter.`, '$filter');
    }
    current = scope.lambda.value;
  } else current = scope.root;
  for (const segment of path.segments) {
    current = current && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return current;
}

function compile(n: AstNode, lambdaPrefix?: { variable: string; collection: string }): (scope: Scope) => unknown {
  if (WRAPPERS.has(n.type)) return compile(node(n.value), lambdaPrefix);
  switch (n.type) {
    case 'OrExpression':
    case 'AndExpression': {
      const { left, right } = n.value as { left: AstNode; right: AstNode };
      const l = compile(left, lambdaPrefix);
      const r = compile(right, lambdaPrefix);
      return n.type === 'OrExpression' ? (s) => Boolean(l(s)) || Boolean(r(s)) : (s) => Boolean(l(s)) && Boolean(r(s));
    }
    case 'NotExpression': {
      const inner = compile(node(n.value), lambdaPrefix);
      return (s) => !inner(s);
    }
    case 'Literal': {
      const value = literal(n);
      return () => value;
    }
    case 'FirstMemberExpression':
    case 'MemberExpression':
    case 'PropertyPathExpression': {
      const path = memberPath(n);
      if (path.any) return compileAny(path.segments, path.any);
      const name = path.lambdaVariable
        ? `${lambdaPrefix?.collection ?? '?'}/${path.segments.join('/')}`
        : path.segments.join('/');
      if (!FILTERABLE.has(name)) {
        throw invalidRequest(
          `Filtering on '${name}' is not supported. Filterable: ${[...FILTERABLE].map((p) => (p === 'team/email' ? 'team/any(t:t/email eq …)' : p)).join(', ')}.`,
          '$filter',
        );
      }
      const isDate = DATE_PROPERTIES.has(name);
      return (s) => {
        const value = resolve(s, path);
        return isDate && typeof value === 'string' ? { date: Date.parse(value) } : value;
      };
    }
    default: {
      const compare = COMPARISONS[n.type];
      if (!compare) throw invalidRequest(`The $filter expression '${n.raw}' is not supported.`, '$filter');
      const { left, right } = n.value as { left: AstNode; right: AstNode };
      const l = compile(left, lambdaPrefix);
      const r = compile(right, lambdaPrefix);
      return (s) => compareValues(l(s), r(s), n.type, compare);
    }
  }
}

function compileAny(collectionSegments: string[], any: AstNode): (scope: Scope) => unknown {
  const collection = collectionSegments.join('/');
  const { variable, predicate } = any.value as { variable: AstNode; predicate: AstNode };
  const name = (variable.value as { name: string }).name;
  const test = compile(node(predicate.value), { variable: name, collection });
  return (s) => {
    const items = resolve(s, { segments: collectionSegments });
    return Array.isArray(items) && items.some((item) => Boolean(test({ root: s.root, lambda: { name, value: item } })));
  };
}

function compareValues(a: unknown, b: unknown, op: string, compare: (x: number, y: number) => boolean): boolean {
  const dateOf = (v: unknown) => (v && typeof v === 'object' && 'date' in v ? (v as { date: number }).date : undefined);
  const da = dateOf(a);
  const db = dateOf(b);
  if (da !== undefined || db !== undefined) {
    if (da === undefined || db === undefined || Number.isNaN(da) || Number.isNaN(db)) return op === 'NotEqualsExpression';
    return compare(da, db);
  }
  if (op === 'EqualsExpression') return (a ?? null) === (b ?? null);
  if (op === 'NotEqualsExpression') return (a ?? null) !== (b ?? null);
  if (typeof a === 'number' && typeof b === 'number') return compare(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compare(a.localeCompare(b), 0);
  return false;
}

export function parseFilter(filter: string | undefined): Predicate {
  if (filter === undefined || filter.trim() === '') return () => true;
  let ast: AstNode;
  try {
    ast = defaultParser.filter(filter) as unknown as AstNode;
  } catch (error) {
    throw invalidRequest(`The $filter '${filter}' could not be parsed: ${(error as Error).message}.`, '$filter');
  }
  const evaluate = compile(ast);
  return (referral) => Boolean(evaluate({ root: referral }));
}

type OrderBy = { property: 'createdDateTime' | 'updatedDateTime'; descending: boolean };

export function parseOrderBy(orderBy: string | undefined): OrderBy {
  if (orderBy === undefined || orderBy.trim() === '') return { property: 'createdDateTime', descending: false };
  const match = /^\s*(createdDateTime|updatedDateTime)(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
  if (!match) {
    throw invalidRequest(`The $orderby '${orderBy}' is not supported. Use createdDateTime or updatedDateTime, asc or desc.`, '$orderby');
  }
  const property = match[1].toLowerCase() === 'createddatetime' ? 'createdDateTime' : 'updatedDateTime';
  return { property, descending: match[2]?.toLowerCase() === 'desc' };
}

function parseCount(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw invalidRequest(`${name} must be a non-negative integer, got '${raw}'.`, name);
  return Number(raw);
}

export interface ListQuery {
  $filter?: string;
  $orderby?: string;
  $top?: string;
  $select?: string;
  $skiptoken?: string;
  [option: string]: string | undefined;
}

const QUERY_OPTIONS = new Set(['$filter', '$orderby', '$top', '$select', '$skiptoken']);

/** `$select=id,status,customerProfile` (the page's example): top-level properties only. */
function select(referral: Referral, raw: string | undefined): Referral {
  if (raw === undefined || raw.trim() === '') return referral;
  const names = raw.split(',').map((n) => n.trim());
  for (const name of names) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw invalidRequest(`The $select item '${name}' is not a top-level referral property.`, '$select');
  }
  return Object.fromEntries(names.filter((n) => n in referral).map((n) => [n, referral[n]])) as Referral;
}

export interface ListPage {
  '@odata.context': string;
  '@odata.count': number;
  value: Referral[];
  '@odata.nextLink'?: string;
}

/** Position of the next page; opaque to clients, like the real service's $skiptoken. */
interface SkipToken {
  offset: number;
  remaining?: number;
}

const encodeToken = (token: SkipToken) => Buffer.from(JSON.stringify(token)).toString('base64url');

function decodeToken(raw: string): SkipToken {
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as SkipToken;
    if (Number.isInteger(token.offset) && token.offset >= 0) return token;
  } catch {
    // fall through to the 400 below
  }
  throw invalidRequest('The $skiptoken is invalid or expired.', '$skiptoken');
}

export function listReferrals(
  all: Iterable<Referral>,
  query: ListQuery,
  options: { pageSize: number; listUrl: string; metadataUrl: string },
): ListPage {
  for (const option of Object.keys(query)) {
    if (option.startsWith('$') && !QUERY_OPTIONS.has(option)) {
      throw invalidRequest(`The query option ${option} is not supported. Supported: ${[...QUERY_OPTIONS].join(', ')}.`, option);
    }
  }
  const predicate = parseFilter(query.$filter);
  const order = parseOrderBy(query.$orderby);
  // Each timestamp is parsed once, not once per comparison: a listing of thousands is sorted for every page.
  const keyed = [...all].filter(predicate).map((referral) => ({ referral, at: Date.parse(referral[order.property] ?? '') }));
  keyed.sort((a, b) => {
    const diff = a.at - b.at;
    const primary = order.descending ? -diff : diff;
    return primary !== 0 ? primary : (a.referral.id ?? '').localeCompare(b.referral.id ?? '');
  });
  const matches = keyed.map((k) => k.referral);

  let offset: number;
  let remaining: number | undefined;
  if (query.$skiptoken) {
    ({ offset, remaining } = decodeToken(query.$skiptoken));
  } else {
    offset = 0;
    remaining = parseCount(query.$top, '$top');
  }
  const size = Math.min(options.pageSize, remaining ?? Number.POSITIVE_INFINITY);
  const value = matches.slice(offset, offset + size);
  const nextOffset = offset + value.length;
  const nextRemaining = remaining === undefined ? undefined : remaining - value.length;
  const more = nextOffset < matches.length && (nextRemaining === undefined || nextRemaining > 0) && value.length > 0;

  const page: ListPage = { '@odata.context': options.metadataUrl, '@odata.count': matches.length, value: value.map((r) => select(r, query.$select)) };
  if (more) {
    // Rendered like the documented sample (`...referrals?$skiptoken=...`): option names keep their literal `$`.
    const params: [string, string][] = [];
    if (query.$filter) params.push(['$filter', query.$filter]);
    if (query.$orderby) params.push(['$orderby', query.$orderby]);
    if (query.$select) params.push(['$select', query.$select]);
    params.push(['$skiptoken', encodeToken({ offset: nextOffset, remaining: nextRemaining })]);
    page['@odata.nextLink'] = `${options.listUrl}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  }
  return page;
}
