/**
 * Executes a QueryPlan against the store and shapes rows exactly as the REST API does: `attributes {type, url}`
 * first, fields in SELECT order with canonical API names, parent relationships as nested objects (or null), and
 * child sub-queries as `{totalSize, done, records}` (or null when there are no children).
 */
import type { ParentRelationship } from './schema.js';
import type { FieldRef, OrderItem, Probe, QueryPlan, Resolver } from './soql-plan.js';
import type { Store } from './store.js';
import { parseDatetime, type StoredRecord, type StoredValue } from './values.js';

export type ShapedRecord = Record<string, unknown>;

/** Up to this many parent rows, sub-query children are fetched by parent id instead of scanning the child type. */
const MAX_TARGETED_PARENTS = 2000;

export interface RunOptions {
  /** queryAll: include records in the recycle bin. */
  includeDeleted: boolean;
  /** API version used in attribute URLs, e.g. "64.0". */
  version: string;
}

export class StoreResolver implements Resolver {
  private readonly cache = new Map<string, StoredRecord | null>();

  constructor(private readonly store: Store, private readonly includeDeleted: boolean) {}

  parent(rec: StoredRecord, rel: ParentRelationship): StoredRecord | null {
    const id = rec[rel.field.name];
    if (typeof id !== 'string') return null;
    if (!this.cache.has(id)) {
      const row = this.store.get(id);
      this.cache.set(id, row && (!row.deleted || this.includeDeleted) ? row.data : null);
    }
    return this.cache.get(id) ?? null;
  }

  value(rec: StoredRecord, ref: FieldRef): StoredValue {
    let current: StoredRecord | null = rec;
    for (const rel of ref.path) {
      current = this.parent(current, rel);
      if (!current) return null;
    }
    return current[ref.field.name] ?? null;
  }
}

/** Ids a probe names (a superset of the matching live rows), or null when an index cannot narrow it. */
function probeIds(store: Store, type: string, probe: Probe): string[] | null {
  switch (probe.kind) {
    case 'ids':
      return probe.ids;
    case 'keys':
      return probe.values.flatMap((v) => store.findByKey(type, probe.field, v));
    case 'grams':
      return store.findByGrams(type, probe.field, probe.grams);
    case 'any': {
      const ids: string[] = [];
      for (const p of probe.probes) {
        const found = probeIds(store, type, p);
        if (found === null) return null;
        ids.push(...found);
      }
      return ids;
    }
  }
}

/** Rows of the plan's object that pass WHERE, ordered, with OFFSET and LIMIT applied. */
export function selectRows(store: Store, plan: QueryPlan, resolver: Resolver, includeDeleted: boolean, candidates?: StoredRecord[]): StoredRecord[] {
  let rows: StoredRecord[];
  const byIds = (ids: Iterable<string>) => [...new Set(ids)].sort()
    .map((id) => store.get(id))
    .filter((r) => r !== undefined && r.type === plan.object.name && (includeDeleted || !r.deleted))
    .map((r) => r!.data);
  const ids = candidates || !plan.probe ? null : probeIds(store, plan.object.name, plan.probe);
  if (candidates) rows = candidates;
  else if (ids) {
    // The field indexes hold live records only (an Id probe may name deleted ones): queryAll adds the recycle
    // bin's ids, which WHERE then narrows.
    if (includeDeleted && plan.probe?.kind !== 'ids') ids.push(...store.listDeleted(plan.object.name).map((r) => r.id));
    rows = byIds(ids);
  } else rows = store.list(plan.object.name, includeDeleted).map((r) => r.data);
  if (plan.where) rows = rows.filter((rec) => plan.where!(rec, resolver));
  if (plan.orderBy.length > 0) rows = sortRows(rows, plan.orderBy, resolver);
  const end = plan.limit === null ? undefined : plan.offset + plan.limit;
  return rows.slice(plan.offset, end);
}

function sortRows(rows: StoredRecord[], order: OrderItem[], resolver: Resolver): StoredRecord[] {
  const keyed = rows.map((rec) => ({ rec, keys: order.map((o) => sortKey(resolver.value(rec, o.ref), o.ref.field.type)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < order.length; i++) {
      const x = a.keys[i];
      const y = b.keys[i];
      if (x === y) continue;
      if (x === null) return order[i].nullsLast ? 1 : -1;
      if (y === null) return order[i].nullsLast ? -1 : 1;
      const cmp = x < y ? -1 : 1;
      return order[i].desc ? -cmp : cmp;
    }
    return 0;
  });
  return keyed.map((k) => k.rec);
}

function sortKey(v: StoredValue, type: string): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (type === 'datetime') return parseDatetime(String(v));
  if (typeof v === 'string') return v.toLowerCase();
  return v;
}

const attributes = (type: string, id: StoredValue, version: string) => ({
  type,
  url: `/services/data/v${version}/sobjects/${type}/${String(id)}`,
});

/** Runs a plan: the number of matching rows and the shaped records (none for COUNT()). */
export function runPlan(store: Store, plan: QueryPlan, options: RunOptions): { totalSize: number; records: ShapedRecord[] } {
  const resolver = new StoreResolver(store, options.includeDeleted);
  const rows = selectRows(store, plan, resolver, options.includeDeleted);
  if (plan.count) return { totalSize: rows.length, records: [] };
  const parentIds = rows.map((r) => String(r.Id));
  const children = plan.items.map((item) => (item.kind === 'child' ? childrenByParent(store, item.plan, item.rel.field.name, parentIds, resolver, options) : null));
  const records = rows.map((rec) => shape(rec, plan, resolver, options.version, children));
  return { totalSize: rows.length, records };
}

/** Runs a child sub-query once for all parents, grouped by parent id (LIMIT applies per parent). */
function childrenByParent(store: Store, plan: QueryPlan, parentField: string, parentIds: string[], resolver: Resolver, options: RunOptions): Map<string, ShapedRecord[]> {
  const unlimited = { ...plan, limit: null, offset: 0 };
  // Lookup fields are indexed: fetch only the parents' children (queryAll's deleted children, not in the index,
  // by a search of the object's rows for the few parents).
  let candidates: StoredRecord[] | undefined;
  if (!options.includeDeleted) {
    const ids = [...new Set(parentIds.flatMap((id) => store.findByKey(plan.object.name, parentField, id.toLowerCase())))].sort();
    candidates = ids.map((id) => store.get(id)!.data);
  } else if (parentIds.length <= MAX_TARGETED_PARENTS) {
    candidates = store.listWhereIn(plan.object.name, parentField, parentIds, true).map((r) => r.data);
  }
  const rows = selectRows(store, unlimited, resolver, options.includeDeleted, candidates);
  const grouped = new Map<string, ShapedRecord[]>();
  const noChildren = plan.items.map(() => null);
  for (const rec of rows) {
    const parentId = rec[parentField];
    if (typeof parentId !== 'string') continue;
    const list = grouped.get(parentId) ?? [];
    const end = plan.limit === null ? Infinity : plan.offset + plan.limit;
    if (list.length < end) list.push(shape(rec, plan, resolver, options.version, noChildren));
    grouped.set(parentId, list);
  }
  if (plan.offset > 0) for (const [k, v] of grouped) grouped.set(k, v.slice(plan.offset));
  return grouped;
}

function shape(rec: StoredRecord, plan: QueryPlan, resolver: Resolver, version: string, children: (Map<string, ShapedRecord[]> | null)[]): ShapedRecord {
  const out: ShapedRecord = { attributes: attributes(plan.object.name, rec.Id, version) };
  plan.items.forEach((item, i) => {
    if (item.kind === 'field') {
      place(out, rec, item.ref.path, item.ref.field.name, resolver, version);
      return;
    }
    const list = children[i]?.get(String(rec.Id)) ?? [];
    out[item.rel.relationshipName] = list.length === 0 ? null : { totalSize: list.length, done: true, records: list };
  });
  return out;
}

/** Puts one selected value in place, creating nested parent objects (or null for a missing parent). */
function place(target: ShapedRecord, rec: StoredRecord, path: ParentRelationship[], fieldName: string, resolver: Resolver, version: string): void {
  if (path.length === 0) {
    target[fieldName] = rec[fieldName] ?? null;
    return;
  }
  const [rel, ...rest] = path;
  const key = rel.field.relationshipName as string;
  if (target[key] === null) return;
  const parent = resolver.parent(rec, rel);
  if (!parent) {
    target[key] = null;
    return;
  }
  if (!(key in target)) target[key] = { attributes: attributes(rel.target.name, parent.Id, version) };
  place(target[key] as ShapedRecord, parent, rest, fieldName, resolver, version);
}

/** Values of a single-field plan, for semi-joins. */
export function runValues(store: Store, plan: QueryPlan): StoredValue[] {
  const resolver = new StoreResolver(store, false);
  const item = plan.items[0];
  if (item.kind !== 'field') return [];
  return selectRows(store, plan, resolver, false).map((rec) => resolver.value(rec, item.ref));
}
