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
  /** Ids the WHERE clause pins the result to (Id = / Id IN at the top level), to skip a full scan. */
  idFilter: string[] | null;
  /** A top-level `ExtId__c = 'x'` / IN on an external-id or unique field: rows come from the key index. */
  keyFilter: KeyFilter | null;
}

export interface KeyFilter {
  field: string;
  /** Lower-cased, as the key index stores them. */
  values: string[];
}
