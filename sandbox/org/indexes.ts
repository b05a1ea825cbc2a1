/**
 * The org's field indexes: which fields a query can find rows through instead of reading every row of the object.
 *
 * Salesforce indexes these fields by default ("Best Practices for Deployments with Large Data Volumes", Indexes,
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_large_data_volumes_bp.meta/salesforce_large_data_volumes_bp/ldv_deployments_infrastructure_indexes.htm):
 * primary keys (Id, Name, OwnerId), foreign keys (lookup and master-detail fields), audit dates, Email on
 * Contact and Lead, and custom indexes on external-id and unique fields. The local org keeps an equality index on
 * the same fields (Id is the table's key), and a trigram index on name fields so `Name LIKE 'Contoso%GmbH'`
 * narrows the rows too — the platform answers such a query from its search index; here it only has to be fast.
 *
 * An index only narrows the candidate rows: every query still applies its whole WHERE clause to them, so a
 * result is the same with or without an index (sandbox/org/indexes.test.ts checks that on random data).
 */
import type { FieldDef, ObjectDef } from './schema-types.js';
import type { StoredRecord } from './values.js';

export interface IndexEntry {
  field: string;
  /** Lower-cased: text compares case-insensitively, and an id's case variants only widen the candidates. */
  value: string;
  unique: boolean;
}

const EMAIL_INDEXED = new Set(['Contact', 'Lead']);
/**
 * Lookups every record has and every save rewrites, to the same few users: an entry per record would cost each
 * write and narrow no query the product runs.
 */
const UNINDEXED = new Set(['Id', 'CreatedById', 'LastModifiedById']);
/** Name searches the product runs (account matching); other LIKE filters read the object's rows. */
const GRAM_INDEXED = new Set(['Account.Name']);

/** An equality index on this field of this object. */
export function isIndexed(obj: ObjectDef, f: FieldDef): boolean {
  if (UNINDEXED.has(f.name)) return false;
  return f.externalId || f.unique || f.nameField || f.type === 'reference' || (f.type === 'email' && EMAIL_INDEXED.has(obj.name));
}

/** A trigram index for LIKE on this field of this object. */
export function isGramIndexed(obj: ObjectDef, f: FieldDef): boolean {
  return GRAM_INDEXED.has(`${obj.name}.${f.name}`);
}

export function indexEntries(obj: ObjectDef, rec: StoredRecord): IndexEntry[] {
  return obj.fields
    .filter((f) => isIndexed(obj, f) && rec[f.name] !== null && rec[f.name] !== undefined)
    .map((f) => ({ field: f.name, value: String(rec[f.name]).toLowerCase(), unique: f.unique }));
}

export function gramEntries(obj: ObjectDef, rec: StoredRecord): { field: string; grams: string[] }[] {
  return obj.fields
    .filter((f) => isGramIndexed(obj, f) && typeof rec[f.name] === 'string')
    .map((f) => ({ field: f.name, grams: gramsOf(String(rec[f.name]).toLowerCase()) }));
}

/** True when a save changed nothing any index holds, so the index need not be rewritten. */
export function sameIndexedValues(obj: ObjectDef, a: StoredRecord, b: StoredRecord): boolean {
  return obj.fields.every((f) => !(isIndexed(obj, f) || isGramIndexed(obj, f)) || (a[f.name] ?? null) === (b[f.name] ?? null));
}

/** The distinct three-code-unit substrings of an (already lower-cased) text. */
export function gramsOf(lower: string): string[] {
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= lower.length; i++) grams.add(lower.slice(i, i + 3));
  return [...grams];
}

/**
 * Trigrams every value matching a LIKE pattern must contain: those of its literal pieces between `%` wildcards,
 * lower-cased as the matcher compares them. A pattern with `_` is matched by a case-insensitive regex, whose case
 * folding is not toLowerCase's, so it gets none (null: no narrowing), as does a pattern without a 3-character piece.
 */
export function likeGrams(pattern: string): string[] | null {
  const inner = pattern.startsWith("'") && pattern.endsWith("'") ? pattern.slice(1, -1) : pattern;
  const pieces: string[] = [''];
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && i + 1 < inner.length) {
      const next = inner[++i];
      pieces[pieces.length - 1] += ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[next] ?? next;
    } else if (c === '%') pieces.push('');
    else if (c === '_') return null;
    else pieces[pieces.length - 1] += c;
  }
  const grams = [...new Set(pieces.flatMap((p) => gramsOf(p.toLowerCase())))];
  return grams.length > 0 ? grams : null;
}
