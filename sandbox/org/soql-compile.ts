/**
 * SOQL → QueryPlan. Parsing is soql-parser-js's; this module checks the query against the org's schema with
 * Salesforce's errors (INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY ...) and rejects, by name, the constructs the
 * local org does not implement (aggregates other than COUNT(), GROUP BY, TYPEOF, functions) rather than guessing.
 */
import soqlParser from 'soql-parser-js';
import type { FieldType as SelectField, Query, Subquery } from 'soql-parser-js';
import { ApiError } from './errors.js';
import type { Schema } from './schema.js';
import type { ObjectDef } from './schema-types.js';
import { queryError, unsupported } from './soql-errors.js';
import type { FieldRef, OrderItem, Probe, QueryPlan, SelectItem } from './soql-plan.js';
import { compileWhere } from './soql-where.js';
import type { StoredValue } from './values.js';

export interface CompileEnv {
  schema: Schema;
  now: number;
  /** Runs a compiled plan and returns the value of its single selected field for every row (semi-joins). */
  runValues: (plan: QueryPlan) => StoredValue[];
}

const MAX_OFFSET = 2000;
/** FIELDS(ALL) and FIELDS(CUSTOM) are only allowed with a bounded result. */
const FIELDS_LIMIT = 200;

const typeNotSupported = (soql: string, name: string): ApiError =>
  queryError('INVALID_TYPE', soql, name,
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);

export function parseSoql(soql: string): Query {
  try {
    return soqlParser.parseQuery(soql);
  } catch (err) {
    const first = String((err as Error).message).split('\n')[0];
    throw new ApiError(400, 'MALFORMED_QUERY', `unexpected token in query: ${first}`);
  }
}

export function compileQuery(soql: string, env: CompileEnv): QueryPlan {
  if (!soql || !soql.trim()) throw new ApiError(400, 'MALFORMED_QUERY', 'SOQL query string is empty');
  return compileParsed(parseSoql(soql), soql, env);
}

function compileParsed(q: Query, soql: string, env: CompileEnv): QueryPlan {
  const name = q.sObject ?? '';
  const obj = env.schema.object(name);
  if (!obj) throw typeNotSupported(soql, name);
  if (!obj.queryable) throw new ApiError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${obj.name} does not support query`);
  return compileBody(q, obj, soql, env, true);
}

function compileBody(q: Query | Subquery, obj: ObjectDef, soql: string, env: CompileEnv, topLevel: boolean): QueryPlan {
  if (q.groupBy || q.having) throw unsupported(soql, 'GROUP BY / HAVING');
  if (q.withDataCategory) throw unsupported(soql, 'WITH DATA CATEGORY');
  const alias = q.sObjectAlias?.toLowerCase();

  const resolveField = (path: string, purpose: 'select' | 'filter' | 'sort'): FieldRef => {
    let parts = path.split('.');
    if (alias && parts.length > 1 && parts[0].toLowerCase() === alias) parts = parts.slice(1);
    let current = obj;
    const rels = [];
    for (const relName of parts.slice(0, -1)) {
      const rel = env.schema.parentRelationship(current, relName);
      if (!rel) {
        throw queryError('INVALID_FIELD', soql, relName,
          `Didn't understand relationship '${relName}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`);
      }
      rels.push(rel);
      current = rel.target;
    }
    const last = parts[parts.length - 1];
    const field = env.schema.field(current, last);
    if (!field) {
      throw queryError('INVALID_FIELD', soql, last,
        `No such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
    }
    if (purpose === 'filter' && !field.filterable) {
      throw queryError('INVALID_FIELD', soql, last, `field '${field.name}' can not be filtered in a query call`);
    }
    if (purpose === 'sort' && !field.sortable) {
      throw queryError('INVALID_FIELD', soql, last, `field '${field.name}' can not be sorted in a query call`);
    }
    return { path: rels, field };
  };

  const items: SelectItem[] = [];
  const seen = new Set<string>();
  let count = false;
  let boundedFields = false;
  const addField = (ref: FieldRef, text: string): void => {
    const key = [...ref.path.map((r) => r.field.relationshipName), ref.field.name].join('.').toLowerCase();
    if (seen.has(key)) throw queryError('MALFORMED_QUERY', soql, text, `duplicate field selected: ${text}`);
    seen.add(key);
    items.push({ kind: 'field', ref });
  };

  for (const sf of (q.fields ?? []) as SelectField[]) {
    switch (sf.type) {
      case 'Field':
        addField(resolveField(sf.field, 'select'), sf.field);
        break;
      case 'FieldRelationship':
        addField(resolveField([...sf.relationships, sf.field].join('.'), 'select'), sf.rawValue ?? sf.field);
        break;
      case 'FieldSubquery': {
        if (!topLevel) throw queryError('MALFORMED_QUERY', soql, sf.subquery.relationshipName, 'Nesting of semi join sub-selects is not supported');
        const relName = sf.subquery.relationshipName;
        const rel = env.schema.childRelationship(obj, relName);
        if (!rel) {
          throw queryError('INVALID_TYPE', soql, relName,
            `Didn't understand relationship '${relName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`);
        }
        items.push({ kind: 'child', rel, plan: compileBody(sf.subquery, rel.child, soql, env, false) });
        break;
      }
      case 'FieldFunctionExpression': {
        const fn = sf.functionName.toUpperCase();
        if (fn === 'COUNT' && sf.parameters.length === 0 && topLevel) {
          count = true;
          break;
        }
        if (fn === 'FIELDS' && sf.parameters.length === 1) {
          const which = String(sf.parameters[0]).toUpperCase();
          if (which !== 'STANDARD') boundedFields = true;
          for (const f of obj.fields) {
            if ((which === 'CUSTOM' && !f.custom) || (which === 'STANDARD' && f.custom)) continue;
            if (!seen.has(f.name.toLowerCase())) addField({ path: [], field: f }, f.name);
          }
          break;
        }
        throw unsupported(soql, `The function ${sf.rawValue ?? fn}`);
      }
      default:
        throw unsupported(soql, 'TYPEOF');
    }
  }
  if (count && items.length > 0) throw queryError('MALFORMED_QUERY', soql, 'COUNT', 'COUNT() cannot be combined with other fields');
  if (!count && items.length === 0) throw new ApiError(400, 'MALFORMED_QUERY', 'SELECT list is empty');

  const limit = q.limit ?? null;
  if (boundedFields && (limit === null || limit > FIELDS_LIMIT)) {
    throw queryError('MALFORMED_QUERY', soql, 'FIELDS', `The SOQL FIELDS function must have a LIMIT of at most ${FIELDS_LIMIT}`);
  }
  const offset = q.offset ?? 0;
  if (offset > MAX_OFFSET) throw new ApiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);

  const orderBy: OrderItem[] = [];
  const orderList = q.orderBy ? (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]) : [];
  for (const o of orderList) {
    if (!('field' in o)) throw unsupported(soql, 'ORDER BY a function');
    const desc = o.order === 'DESC';
    orderBy.push({ ref: resolveField(o.field, 'sort'), desc, nullsLast: o.nulls ? o.nulls === 'LAST' : desc });
  }

  let where = null;
  let probe: Probe | null = null;
  if (q.where) {
    const compiled = compileWhere(q.where, {
      soql,
      object: obj,
      now: env.now,
      resolveField: (path) => resolveField(path, 'filter'),
      semiJoin: (inner) => {
        const plan = compileParsed(inner, soql, env);
        if (plan.items.length !== 1 || plan.items[0].kind !== 'field') {
          throw queryError('MALFORMED_QUERY', soql, 'SELECT', 'A semi join sub-select can only select one field');
        }
        return { plan, values: env.runValues(plan) };
      },
    });
    where = compiled.predicate;
    probe = compiled.probe;
  }

  return { object: obj, items, count, where, orderBy, limit, offset, probe };
}
