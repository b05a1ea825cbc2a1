/** The compiled form of a SOQL query, shared by the compiler and the executor. */
import type { ChildRelationship, ParentRelationship } from './schema.js';
import type { FieldDef, ObjectDef } from './schema-types.js';
import type { StoredRecord, StoredValue } from './values.js';

/** A field reached from the queried object through zero or more parent relationships. */
export interface FieldRef {
  path: ParentRelationship[];
  field: FieldDef;
}

/** Reads field values, following parent relationships (cached per query). */
export interface Resolver {
  value(rec: StoredRecord, ref: FieldRef): StoredValue;
  parent(rec: StoredRecord, rel: ParentRelationship): StoredRecord | null;
}

export type Predicate = (rec: StoredRecord, resolver: Resolver) => boolean;

export type SelectItem =
  | { kind: 'field'; ref: FieldRef }
  | { kind: 'child'; rel: ChildRelationship; plan: QueryPlan };

export interface OrderItem {
  ref: FieldRef;
  desc: boolean;
  nullsLast: boolean;
}

export interface QueryPlan {
  object: ObjectDef;
  items: SelectItem[];
  /** SELECT COUNT(): only the number of rows is returned. */
  count: boolean;
  where: Predicate | null;
  orderBy: OrderItem[];
  limit: number | null;
  offset: number;
  /** Where the rows WHERE can match are found without reading every row (null: a scan). */
  probe: Probe | null;
}

/**
 * Candidate rows for a WHERE clause, read from the org's indexes (sandbox/org/indexes.ts): always a superset of
 * the matching rows, which the predicate then narrows.
 */
export type Probe =
  /** `Id = x`, `Id IN (...)`, `Id IN (SELECT ...)`. */
  | { kind: 'ids'; ids: string[] }
  /** `=` / IN on an indexed field; values lower-cased, as the index stores them. */
  | { kind: 'keys'; field: string; values: string[] }
  /** LIKE on a trigram-indexed field: rows holding every one of these trigrams. */
  | { kind: 'grams'; field: string; grams: string[] }
  /** OR: the union of its operands' candidates. */
  | { kind: 'any'; probes: Probe[] };
