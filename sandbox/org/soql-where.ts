/**
 * WHERE clauses. soql-parser-js hands back a right-leaning chain with parenthesis counts on each condition; it is
 * flattened into tokens and re-parsed with SOQL's rules (NOT binds to the next operand; AND and OR cannot be mixed
 * at one level without parentheses). Each condition compiles to a typed comparison: text is case-insensitive,
 * ids compare in 18-character form, date literals are ranges, and null follows SOQL (`!= x` matches null).
 */
import type { Condition, LiteralType, Query, WhereClause } from 'soql-parser-js';
import { ApiError } from './errors.js';
import { normalizeId } from './ids.js';
import { dateLiteralRange, type DateRange } from './soql-dates.js';
import { queryError, unsupported } from './soql-errors.js';
import { isGramIndexed, isIndexed, likeGrams } from './indexes.js';
import type { FieldRef, Predicate, Probe, QueryPlan, Resolver } from './soql-plan.js';
import type { FieldDef, ObjectDef } from './schema-types.js';
import { formatDate, parseDate, parseDatetime, type StoredRecord, type StoredValue } from './values.js';

export interface WhereEnv {
  soql: string;
  /** The object queried: its indexes can narrow the rows. */
  object: ObjectDef;
  now: number;
  resolveField: (path: string, purpose: 'filter') => FieldRef;
  /** Compiles and runs a semi-join sub-query, returning the values of its one selected field. */
  semiJoin: (query: Query) => { plan: QueryPlan; values: StoredValue[] };
}

type Kind = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';
type Comparable = string | number | boolean;
type Reader = (rec: StoredRecord, r: Resolver) => Comparable | null;
type Operand = { kind: 'null' } | { kind: 'value'; v: Comparable } | { kind: 'range'; r: DateRange };

const kindOf = (f: FieldDef): Kind => {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'text';
  }
};

const SOAP_TYPE: Record<Kind, string> = { text: 'string', id: 'id', number: 'double', boolean: 'boolean', date: 'date', datetime: 'dateTime' };

/** Stored value → comparable form (null stays null). */
function comparable(kind: Kind, v: StoredValue | undefined): Comparable | null {
  if (v === null || v === undefined) return null;
  if (kind === 'text') return String(v).toLowerCase();
  if (kind === 'datetime') return parseDatetime(String(v));
  return v;
}

/** Unescapes a quoted SOQL string literal ('it\'s' → it's). */
export function unquote(raw: string): string {
  const inner = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  return inner.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[c] ?? c);
}

/**
 * LIKE pattern → case-insensitive matcher; `\%` and `\_` stay literal. A pattern whose only wildcard is `%`
 * (nearly all of them) is matched as its literal pieces in order, several times faster than a backtracking
 * regex when one query ORs hundreds of patterns over every row of an object; `_` falls back to a regex.
 */
// The lower-cased value last matched: the hundreds of LIKE patterns of one query test the same row in turn.
let lastValue = '';
let lastLower = '';
const lowerCase = (value: string): string => (value === lastValue ? lastLower : ((lastValue = value), (lastLower = value.toLowerCase())));

function likeMatcher(raw: string): (value: string) => boolean {
  const inner = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pieces: string[] = [''];
  let regex = '';
  let single = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && i + 1 < inner.length) {
      const next = inner[++i];
      const literal = ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[next] ?? next;
      pieces[pieces.length - 1] += literal;
      regex += escape(literal);
    } else if (c === '%') {
      pieces.push('');
      regex += '[\\s\\S]*';
    } else if (c === '_') {
      single = true;
      regex += '[\\s\\S]';
    } else {
      pieces[pieces.length - 1] += c;
      regex += escape(c);
    }
  }
  if (single) {
    const re = new RegExp(`^${regex}$`, 'i');
    return (value) => re.test(value);
  }
  const [first, ...rest] = pieces.map((p) => p.toLowerCase());
  if (rest.length === 0) return (value) => lowerCase(value) === first;
  const last = rest.pop()!;
  return (value) => {
    const v = lowerCase(value);
    if (v.length < first.length + last.length || !v.startsWith(first) || !v.endsWith(last)) return false;
    const end = v.length - last.length;
    let at = first.length;
    for (const piece of rest) {
      const found = v.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

type Token = { t: '(' | ')' | 'AND' | 'OR' | 'NOT' } | { t: 'COND'; c: Condition };

function flatten(w: WhereClause | undefined, out: Token[]): void {
  if (!w) return;
  const left = w.left as (Condition & { openParen?: number; closeParen?: number }) | null;
  if (left) {
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push({ t: '(' });
    if ('field' in left || 'fn' in left) {
      out.push({ t: 'COND', c: left });
      for (let i = 0; i < (left.closeParen ?? 0); i++) out.push({ t: ')' });
    }
  }
  if ('operator' in w && w.operator) out.push({ t: w.operator });
  if ('right' in w && w.right) flatten(w.right, out);
}

export interface CompiledWhere {
  predicate: Predicate;
  /** The rows the clause can match, found through the org's indexes (null: every row is a candidate). */
  probe: Probe | null;
}

const probeRank = (p: Probe): number => (p.kind === 'ids' ? 0 : p.kind === 'keys' ? 1 : p.kind === 'grams' ? 2 : 3);

/** AND: any operand's candidates bound the result; the most direct index wins. */
function narrowest(probes: (Probe | null)[]): Probe | null {
  const usable = probes.filter((p): p is Probe => p !== null);
  if (usable.length === 0) return null;
  const ids = usable.filter((p) => p.kind === 'ids');
  if (ids.length > 1) {
    // Several Id conditions: only ids in all of them can match.
    const sets = ids.map((p) => new Set(p.ids));
    return { kind: 'ids', ids: ids[0].ids.filter((x) => sets.every((set) => set.has(x))) };
  }
  return usable.reduce((best, p) => (probeRank(p) < probeRank(best) ? p : best));
}

/** OR: the union of every operand's candidates, so one operand without an index means a scan. */
function union(probes: (Probe | null)[]): Probe | null {
  if (probes.some((p) => p === null)) return null;
  return { kind: 'any', probes: probes as Probe[] };
}

export function compileWhere(where: WhereClause, env: WhereEnv): CompiledWhere {
  const tokens: Token[] = [];
  flatten(where, tokens);
  let pos = 0;

  const fail = (token: string): ApiError => queryError('MALFORMED_QUERY', env.soql, token, `unexpected token: '${token}'`);

  type Compiled = { predicate: Predicate; probe: Probe | null };

  const parseOperand = (): Compiled => {
    const tok = tokens[pos++];
    if (!tok) throw fail('');
    if (tok.t === 'NOT') {
      // A negated condition can match rows no index entry names.
      const inner = parseOperand();
      return { predicate: (rec, r) => !inner.predicate(rec, r), probe: null };
    }
    if (tok.t === '(') {
      const inner = parseExpr();
      if (tokens[pos++]?.t !== ')') throw fail(')');
      return inner;
    }
    if (tok.t === 'COND') return compileCondition(tok.c, env);
    throw fail(tok.t);
  };

  const parseExpr = (): Compiled => {
    const parts = [parseOperand()];
    let op: 'AND' | 'OR' | null = null;
    while (pos < tokens.length && (tokens[pos].t === 'AND' || tokens[pos].t === 'OR')) {
      const next = tokens[pos++].t as 'AND' | 'OR';
      if (op && op !== next) throw fail(next);
      op = next;
      parts.push(parseOperand());
    }
    if (parts.length === 1) return parts[0];
    const predicates = parts.map((p) => p.predicate);
    const probes = parts.map((p) => p.probe);
    return op === 'AND'
      ? { predicate: (rec, r) => predicates.every((p) => p(rec, r)), probe: narrowest(probes) }
      : { predicate: (rec, r) => predicates.some((p) => p(rec, r)), probe: union(probes) };
  };

  const compiled = parseExpr();
  if (pos < tokens.length) throw fail(tokens[pos].t === 'COND' ? '' : tokens[pos].t);
  return compiled;
}

interface CompiledCondition {
  predicate: Predicate;
  probe: Probe | null;
}

function compileCondition(c: Condition, env: WhereEnv): CompiledCondition {
  if ('fn' in c) throw unsupported(env.soql, 'A function in a WHERE clause');
  if (!('field' in c)) throw unsupported(env.soql, 'This WHERE clause');
  const ref = env.resolveField(c.field, 'filter');
  const f = ref.field;
  const kind = kindOf(f);
  // Only a field of the queried object itself is in its index (a parent's field is another object's).
  const indexed = ref.path.length === 0 && isIndexed(env.object, f);
  const read: Reader = (rec, r) => comparable(kind, r.value(rec, ref));
  const op = c.operator;

  if ('valueQuery' in c && c.valueQuery) {
    if (op !== 'IN' && op !== 'NOT IN') throw queryError('MALFORMED_QUERY', env.soql, c.field, `unexpected token: '${op}'`);
    if (kind !== 'id') throw queryError('INVALID_FIELD', env.soql, c.field, `Invalid semi join field: ${f.name}; only id fields can be used with a semi join`);
    const { values } = env.semiJoin(c.valueQuery);
    const set = new Set(values.filter((v) => v !== null).map(String));
    let probe: Probe | null = null;
    if (op === 'IN' && f.name === 'Id' && ref.path.length === 0) probe = { kind: 'ids', ids: [...set] };
    else if (op === 'IN' && indexed) probe = { kind: 'keys', field: f.name, values: [...set].map((v) => v.toLowerCase()) };
    return {
      predicate: (rec, r) => {
        const v = read(rec, r);
        return op === 'IN' ? v !== null && set.has(String(v)) : v === null || !set.has(String(v));
      },
      probe,
    };
  }

  if (op === 'INCLUDES' || op === 'EXCLUDES') {
    throw queryError('INVALID_QUERY_FILTER_OPERATOR', env.soql, c.field, `${op} operator is only valid on multi-select picklist fields: ${f.name}`);
  }

  const rawValues = Array.isArray(c.value) ? c.value : [c.value];
  const rawTypes = Array.isArray(c.literalType) ? c.literalType : rawValues.map(() => c.literalType);
  if ((op === 'IN' || op === 'NOT IN') !== Array.isArray(c.value)) {
    throw queryError('MALFORMED_QUERY', env.soql, c.field, `unexpected token: '${String(c.value)}'`);
  }

  if (op === 'LIKE') {
    if (kind !== 'text') throw queryError('INVALID_QUERY_FILTER_OPERATOR', env.soql, c.field, `invalid operator on ${SOAP_TYPE[kind]} field: ${f.name}`);
    if (rawTypes[0] !== 'STRING') throw typeError(env, f, kind);
    const matches = likeMatcher(String(rawValues[0]));
    const grams = ref.path.length === 0 && isGramIndexed(env.object, f) ? likeGrams(String(rawValues[0])) : null;
    return {
      predicate: (rec, r) => { const v = r.value(rec, ref); return v !== null && v !== undefined && matches(String(v)); },
      probe: grams ? { kind: 'grams', field: f.name, grams } : null,
    };
  }

  const dateN = 'dateLiteralVariable' in c ? (c.dateLiteralVariable as number | number[]) : undefined;
  const operands = rawValues.map((v, i) => operand(env, f, kind, String(v), rawTypes[i] as LiteralType | undefined, Array.isArray(dateN) ? dateN[i] : dateN));
  const exact = ref.path.length === 0 && (op === '=' || op === 'IN') && operands.every((o) => o.kind === 'value');
  const values = exact ? operands.map((o) => String((o as { v: Comparable }).v)) : [];
  let probe: Probe | null = null;
  if (exact && f.name === 'Id') probe = { kind: 'ids', ids: values };
  else if (exact && (kind === 'text' || kind === 'id') && indexed) probe = { kind: 'keys', field: f.name, values: values.map((v) => v.toLowerCase()) };

  const matchOne = (v: Comparable | null, o: Operand): boolean => {
    if (o.kind === 'null') return v === null;
    if (v === null) return false;
    if (o.kind === 'value') return v === o.v;
    return inRange(kind, v, o.r);
  };

  let predicate: Predicate;
  switch (op) {
    case '=':
      predicate = (rec, r) => matchOne(read(rec, r), operands[0]);
      break;
    case '!=':
      predicate = (rec, r) => !matchOne(read(rec, r), operands[0]);
      break;
    case 'IN':
      predicate = (rec, r) => { const v = read(rec, r); return operands.some((o) => matchOne(v, o)); };
      break;
    case 'NOT IN':
      predicate = (rec, r) => { const v = read(rec, r); return !operands.some((o) => matchOne(v, o)); };
      break;
    default:
      predicate = ordered(op, operands[0], kind, read);
  }
  return { predicate, probe };
}

function ordered(op: string, o: Operand, kind: Kind, read: Reader): Predicate {
  if (o.kind === 'null') return () => false;
  const bounds = (v: Comparable): boolean => {
    if (o.kind === 'range') {
      const [start, end] = rangeBounds(kind, o.r);
      if (op === '<') return v < start;
      if (op === '<=') return v < end;
      if (op === '>') return v >= end;
      return v >= start;
    }
    if (op === '<') return v < o.v;
    if (op === '<=') return v <= o.v;
    if (op === '>') return v > o.v;
    return v >= o.v;
  };
  return (rec, r) => {
    const v = read(rec, r);
    return v !== null && bounds(v);
  };
}

function rangeBounds(kind: Kind, r: DateRange): [Comparable, Comparable] {
  return kind === 'date' ? [formatDate(r.start), formatDate(r.end)] : [r.start, r.end];
}

function inRange(kind: Kind, v: Comparable, r: DateRange): boolean {
  const [start, end] = rangeBounds(kind, r);
  return v >= start && v < end;
}

function typeError(env: WhereEnv, f: FieldDef, kind: Kind): ApiError {
  const quoted = kind === 'text' || kind === 'id' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
  return queryError('INVALID_QUERY_FILTER_OPERATOR', env.soql, f.name, `value of filter criterion for field '${f.name}' must be of type ${SOAP_TYPE[kind]} and ${quoted}`);
}

/** One literal converted for comparison against a field, with Salesforce's type errors. */
function operand(env: WhereEnv, f: FieldDef, kind: Kind, raw: string, type: LiteralType | undefined, dateN: number | undefined): Operand {
  switch (type) {
    case 'NULL':
      return { kind: 'null' };
    case 'STRING': {
      if (kind === 'text') return { kind: 'value', v: unquote(raw).toLowerCase() };
      if (kind === 'id') {
        const id = normalizeId(unquote(raw));
        if (!id) throw queryError('INVALID_QUERY_FILTER_OPERATOR', env.soql, f.name, `invalid ID field: ${unquote(raw)}`);
        return { kind: 'value', v: id };
      }
      throw typeError(env, f, kind);
    }
    case 'INTEGER':
    case 'DECIMAL':
      if (kind !== 'number') throw typeError(env, f, kind);
      return { kind: 'value', v: Number(raw) };
    case 'BOOLEAN':
      if (kind !== 'boolean') throw typeError(env, f, kind);
      return { kind: 'value', v: raw.toUpperCase() === 'TRUE' };
    case 'DATE': {
      if (kind !== 'date' || !parseDate(raw)) throw typeError(env, f, kind);
      return { kind: 'value', v: raw };
    }
    case 'DATETIME': {
      const t = parseDatetime(raw);
      if (kind !== 'datetime' || t === null) throw typeError(env, f, kind);
      return { kind: 'value', v: t };
    }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL': {
      if (kind !== 'date' && kind !== 'datetime') throw typeError(env, f, kind);
      const literal = type === 'DATE_N_LITERAL' && !raw.includes(':') ? `${raw}:${String(dateN)}` : raw;
      const range = dateLiteralRange(literal, env.now);
      if (!range) throw queryError('MALFORMED_QUERY', env.soql, raw, `unexpected token: '${raw}'`);
      return { kind: 'range', r: range };
    }
    default:
      throw unsupported(env.soql, `The literal ${raw}`);
  }
}
