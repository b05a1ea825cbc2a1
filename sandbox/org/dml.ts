/**
 * Record saves with the platform's checks, in the platform's order: field names and field-level security, value
 * types, defaults and derived fields, before-save flows, required fields, picklists, lengths, references,
 * validation rules, uniqueness, then the write and after-save automation. Each call is atomic (a savepoint when
 * nested in a larger transaction), so a failed record never leaves half its effects behind.
 */
import type { Actor, Automation } from './automation.js';
import { DmlError, MultipleMatchError } from './errors.js';
import type { EventBus } from './events.js';
import { INJECTED_VALIDATION_RULE, type Faults } from './faults.js';
import { gramEntries, indexEntries, sameIndexedValues } from './indexes.js';
import { mintId, normalizeId, to15 } from './ids.js';
import type { Schema } from './schema.js';
import { INTEGRATION_PERMISSION } from './schema-package.js';
import type { FieldDef, ObjectDef } from './schema-types.js';
import type { RecordRow, Store } from './store.js';
import type { Users } from './users.js';
import { coerceInput, formatDatetime, type StoredRecord, type StoredValue } from './values.js';

export type { Actor } from './automation.js';

export type RecordInput = Record<string, unknown>;

export interface DmlDeps {
  schema: Schema;
  store: Store;
  users: Users;
  faults: Faults;
  events: EventBus;
  now: () => number;
}

const TEXT_TYPES = new Set(['string', 'textarea', 'url', 'email', 'phone', 'picklist']);
/** Longest value quoted back in a STRING_TOO_LONG message. */
const QUOTE_LIMIT = 100;

export class Dml {
  private automation!: Automation;

  constructor(private readonly deps: DmlDeps) {}

  /** Wired after construction because the flows write back through this class. */
  setAutomation(automation: Automation): void {
    this.automation = automation;
  }

  mintId(obj: ObjectDef): string {
    return mintId(obj.keyPrefix, this.deps.store.nextSeq(`id:${obj.keyPrefix}`));
  }

  /** Inserts a record (or publishes an event) and returns its id. */
  create(actor: Actor, type: string, input: RecordInput): string {
    const obj = this.objectFor(type);
    if (!obj.createable && !actor.system) throw new DmlError('INVALID_TYPE_FOR_OPERATION', `entity type ${obj.name} does not support insert`);
    this.checkAccess(actor, obj, 'create');
    return this.deps.store.transaction(() => {
      const values = this.readInput(actor, obj, input, 'create');
      if (obj.isEvent) return this.publishEvent(actor, obj, values);
      const now = formatDatetime(this.deps.now());
      const rec: StoredRecord = {};
      for (const f of obj.fields) rec[f.name] = f.defaultValue as StoredValue;
      Object.assign(rec, values);
      const id = this.mintId(obj);
      Object.assign(rec, { Id: id, IsDeleted: false, CreatedDate: now, CreatedById: actor.user.id, LastModifiedDate: now, LastModifiedById: actor.user.id, SystemModstamp: now });
      if (this.deps.schema.field(obj, 'OwnerId') && rec.OwnerId === null) rec.OwnerId = actor.user.id;
      this.assignAutoNumbers(obj, rec);
      this.derive(obj, rec, null, values);
      const reason = this.automation.beforeSave(actor, obj, rec, null);
      this.check(actor, obj, rec, null, id);
      this.lockRow(id);
      this.deps.store.insert(obj.name, id, rec);
      this.writeKeys(obj, id, rec, true);
      this.automation.afterSave(actor, obj, rec, null, reason);
      return id;
    });
  }

  update(actor: Actor, type: string, rawId: string, input: RecordInput): void {
    const obj = this.objectFor(type);
    if (!obj.updateable && !actor.system) throw new DmlError('INVALID_TYPE_FOR_OPERATION', `entity type ${obj.name} does not support update`);
    this.checkAccess(actor, obj, 'edit');
    this.deps.store.transaction(() => {
      const row = this.liveRow(obj, rawId);
      const values = this.readInput(actor, obj, input, 'update');
      const old = row.data;
      const rec: StoredRecord = { ...old, ...values };
      const now = formatDatetime(this.deps.now());
      Object.assign(rec, { LastModifiedDate: now, LastModifiedById: actor.user.id, SystemModstamp: now });
      this.derive(obj, rec, old, values);
      const reason = this.automation.beforeSave(actor, obj, rec, old);
      this.check(actor, obj, rec, old, row.id, values);
      this.lockRow(row.id);
      this.deps.store.update(row.id, rec);
      if (!sameIndexedValues(obj, old, rec)) this.writeKeys(obj, row.id, rec);
      this.automation.afterSave(actor, obj, rec, old, reason);
    });
  }

  /**
   * Upsert by external id: no match creates (with the key set), one match updates, several fail (REST: 300).
   * Matching is case-insensitive, like the platform's default for external ids.
   */
  upsert(actor: Actor, type: string, extIdField: string, extIdValue: string, input: RecordInput): { id: string; created: boolean } {
    const obj = this.objectFor(type);
    const key = this.externalIdField(obj, extIdField);
    const matches = this.deps.store.findByKey(obj.name, key.name, extIdValue.toLowerCase());
    if (matches.length > 1) throw new MultipleMatchError(matches);
    const body = { ...input };
    for (const k of Object.keys(body)) if (k.toLowerCase() === key.name.toLowerCase()) delete body[k];
    if (matches.length === 1) {
      this.update(actor, obj.name, matches[0], body);
      return { id: matches[0], created: false };
    }
    return { id: this.create(actor, obj.name, { ...body, [key.name]: extIdValue }), created: true };
  }

  /** Finds live records by external id (case-insensitive). */
  findByExternalId(type: string, extIdField: string, value: string): string[] {
    const obj = this.objectFor(type);
    const key = this.externalIdField(obj, extIdField);
    return this.deps.store.findByKey(obj.name, key.name, value.toLowerCase());
  }

  /** Deletes a record into the recycle bin, cascading to master-detail children and clearing lookups. */
  remove(actor: Actor, type: string, rawId: string): void {
    const obj = this.objectFor(type);
    if (!obj.deletable && !actor.system) throw new DmlError('INVALID_TYPE_FOR_OPERATION', `entity type ${obj.name} does not support delete`);
    this.checkAccess(actor, obj, 'delete');
    this.deps.store.transaction(() => {
      const row = this.liveRow(obj, rawId);
      this.lockRow(row.id);
      this.deleteRow(actor, obj, row, false);
    });
  }

  // --- steps ----------------------------------------------------------------------------------------------

  /** Object permissions from the user's permission sets (cascades and flows do not check them). */
  private checkAccess(actor: Actor, obj: ObjectDef, right: 'create' | 'edit' | 'delete'): void {
    if (actor.system || this.deps.users.canObject(actor.user, obj.name, right)) return;
    throw new DmlError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
  }

  objectFor(type: string): ObjectDef {
    const obj = this.deps.schema.object(type);
    if (!obj) throw new DmlError('INVALID_TYPE', `sObject type '${type}' is not supported.`);
    return obj;
  }

  externalIdField(obj: ObjectDef, name: string): FieldDef {
    const f = this.deps.schema.field(obj, name);
    if (!f || !(f.externalId || f.name === 'Id')) {
      throw new DmlError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`);
    }
    if (f.name === 'Id') throw new DmlError('INVALID_FIELD', 'Upsert by record Id is not supported by the local org; use PATCH /sobjects/{type}/{id}.');
    return f;
  }

  /** The live record of this type with that id, or the platform's error for a bad, foreign, missing or deleted id. */
  liveRow(obj: ObjectDef, rawId: string): RecordRow {
    const id = normalizeId(rawId);
    if (!id) throw new DmlError('MALFORMED_ID', `${obj.label} ID: id value of incorrect type: ${rawId}`, ['Id']);
    if (id.slice(0, 3) !== obj.keyPrefix) throw new DmlError('MALFORMED_ID', `${obj.label} ID: id value of incorrect type: ${rawId}`, ['Id']);
    const row = this.deps.store.get(id);
    if (!row) throw new DmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (row.deleted) throw new DmlError('ENTITY_IS_DELETED', 'entity is deleted');
    return row;
  }

  private readInput(actor: Actor, obj: ObjectDef, input: RecordInput, mode: 'create' | 'update'): StoredRecord {
    const out: StoredRecord = {};
    const denied: string[] = [];
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const f = this.deps.schema.field(obj, key);
      if (!f) throw new DmlError('INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`);
      if (f.name === 'Id') {
        if (mode === 'create') throw new DmlError('INVALID_FIELD', 'The Id field should not be specified in the sobject data.');
        continue;
      }
      const allowed = actor.system || ((mode === 'create' ? f.createable : f.updateable) && this.deps.users.canEdit(actor.user, obj.name, f.name));
      if (!allowed) {
        denied.push(f.name);
        continue;
      }
      out[f.name] = coerceInput(f, raw);
    }
    if (denied.length > 0) {
      throw new DmlError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${denied.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        denied,
      );
    }
    return out;
  }

  private publishEvent(actor: Actor, obj: ObjectDef, values: StoredRecord): string {
    const rec: StoredRecord = {};
    for (const f of obj.fields) if (f.createable) rec[f.name] = (values[f.name] ?? f.defaultValue) as StoredValue;
    this.checkRequired({ ...obj, fields: obj.fields.filter((f) => f.createable) }, rec);
    this.checkValues(obj, rec, null, rec);
    const id = this.mintId(obj);
    this.deps.store.afterCommit(() => this.deps.events.publish({ type: obj.name, id, fields: rec, userId: actor.user.id }));
    return id;
  }

  private assignAutoNumbers(obj: ObjectDef, rec: StoredRecord): void {
    for (const f of obj.fields) {
      if (!f.autoNumber) continue;
      const n = this.deps.store.nextSeq(`auto:${obj.name}.${f.name}`);
      rec[f.name] = f.autoNumber.replace(/\{(0+)\}/, (_, zeros: string) => String(n).padStart(zeros.length, '0'));
    }
  }

  /** Fields the platform computes: stage flags and defaults, full names. */
  private derive(obj: ObjectDef, rec: StoredRecord, old: StoredRecord | null, values: StoredRecord): void {
    if (obj.name === 'Opportunity') {
      const stage = this.stage(rec.StageName);
      if (stage) {
        rec.IsClosed = stage.IsClosed === true;
        rec.IsWon = stage.IsWon === true;
        const stageChanged = !old || old.StageName !== rec.StageName;
        if (stageChanged && !('Probability' in values)) rec.Probability = stage.DefaultProbability ?? null;
        if (stageChanged && !('ForecastCategoryName' in values)) rec.ForecastCategoryName = stage.ForecastCategoryName ?? null;
      }
    }
    if (this.deps.schema.field(obj, 'FirstName') && this.deps.schema.field(obj, 'Name')) {
      rec.Name = [rec.FirstName, rec.LastName].filter((v) => v !== null && v !== undefined && v !== '').join(' ') || null;
    }
  }

  private stage(name: StoredValue | undefined): StoredRecord | undefined {
    if (typeof name !== 'string') return undefined;
    return this.deps.store.list('OpportunityStage').map((r) => r.data).find((s) => s.ApiName === name);
  }

  /** Picklist values accepted for a field: from metadata, or the org's active stages. */
  picklistValues(f: FieldDef): string[] {
    if (f.picklist === 'OpportunityStage') {
      return this.deps.store.list('OpportunityStage').map((r) => r.data).filter((s) => s.IsActive === true).map((s) => String(s.ApiName));
    }
    return (f.picklist ?? []).filter((v) => v.active).map((v) => v.value);
  }

  /** Everything between the before-save flow and the write. */
  private check(actor: Actor, obj: ObjectDef, rec: StoredRecord, old: StoredRecord | null, id: string, values: StoredRecord = rec): void {
    this.checkRequired(obj, rec);
    this.checkValues(obj, rec, old, values);
    this.checkReferences(obj, rec, old);
    const invalid = this.automation.validate(actor, obj, rec, old);
    if (invalid) throw invalid;
    if (obj.name === 'Opportunity' && !actor.system && this.deps.users.hasPermission(actor.user, INTEGRATION_PERMISSION) && this.deps.faults.validationRule()) {
      throw new DmlError('FIELD_CUSTOM_VALIDATION_EXCEPTION', INJECTED_VALIDATION_RULE.message, [INJECTED_VALIDATION_RULE.field]);
    }
    this.checkUnique(obj, rec, id);
  }

  private checkRequired(obj: ObjectDef, rec: StoredRecord): void {
    const missing = obj.fields.filter((f) => !f.nillable && f.type !== 'boolean' && (rec[f.name] === null || rec[f.name] === undefined));
    if (missing.length > 0) {
      const names = missing.map((f) => f.name);
      throw new DmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, names);
    }
  }

  /** Restricted picklists and text lengths, for values that are set by this save. */
  private checkValues(obj: ObjectDef, rec: StoredRecord, old: StoredRecord | null, values: StoredRecord): void {
    for (const f of obj.fields) {
      const v = rec[f.name];
      if (v === null || v === undefined) continue;
      const changed = !old || f.name in values || old[f.name] !== v;
      if (!changed) continue;
      if (f.type === 'picklist' && f.restrictedPicklist && !this.picklistValues(f).includes(String(v))) {
        throw new DmlError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${String(v)}`, [f.name]);
      }
      if (TEXT_TYPES.has(f.type) && String(v).length > f.length) {
        const s = String(v);
        const quoted = s.length > QUOTE_LIMIT ? `${s.slice(0, QUOTE_LIMIT)}...` : s;
        throw new DmlError('STRING_TOO_LONG', `${f.label}: data value too large: ${quoted} (max length=${f.length})`, [f.name]);
      }
    }
  }

  /** Lookups must point at a live record of the right type. */
  private checkReferences(obj: ObjectDef, rec: StoredRecord, old: StoredRecord | null): void {
    for (const f of obj.fields) {
      if (f.type !== 'reference' || !f.createable) continue;
      const v = rec[f.name];
      if (v === null || v === undefined || (old && old[f.name] === v)) continue;
      const id = String(v);
      const target = this.deps.schema.require(f.referenceTo[0]);
      if (id.slice(0, 3) !== target.keyPrefix) {
        throw new DmlError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${id}`, [f.name]);
      }
      const row = this.deps.store.get(id);
      if (!row) throw new DmlError('INVALID_CROSS_REFERENCE_KEY', `${f.label}: invalid cross reference id`, [f.name]);
      if (row.deleted) throw new DmlError('ENTITY_IS_DELETED', 'entity is deleted', [f.name]);
    }
  }

  private checkUnique(obj: ObjectDef, rec: StoredRecord, id: string): void {
    for (const f of obj.fields) {
      if (!f.unique || rec[f.name] === null || rec[f.name] === undefined) continue;
      const other = this.deps.store.findByKey(obj.name, f.name, String(rec[f.name]).toLowerCase()).find((x) => x !== id);
      if (other) {
        throw new DmlError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${to15(other)}`);
      }
    }
  }

  private writeKeys(obj: ObjectDef, id: string, rec: StoredRecord, fresh = false): void {
    this.deps.store.setKeys(obj.name, id, indexEntries(obj, rec), fresh);
    this.deps.store.setGrams(obj.name, id, gramEntries(obj, rec), fresh);
  }

  /** Rebuilds every live record's index entries (a database from a version that indexed fewer fields). */
  reindex(): void {
    this.deps.store.transaction(() => {
      for (const obj of this.deps.schema.list()) {
        if (obj.isEvent) continue;
        for (const row of this.deps.store.list(obj.name)) this.writeKeys(obj, row.id, row.data);
      }
    });
    this.deps.store.reindexed();
  }

  private lockRow(id: string): void {
    if (this.deps.faults.lockRow()) {
      throw new DmlError('UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id}`);
    }
  }

  private deleteRow(actor: Actor, obj: ObjectDef, row: RecordRow, cascaded: boolean): void {
    const now = formatDatetime(this.deps.now());
    this.automation.beforeDelete(actor, obj, row.data, cascaded);
    for (const rel of this.deps.schema.childRelationships(obj)) {
      const children = this.deps.store.findByKey(rel.child.name, rel.field.name, row.id.toLowerCase()).map((id) => this.deps.store.get(id)!);
      for (const child of children) {
        if (child.deleted || child.data[rel.field.name] !== row.id) continue;
        if (rel.field.onParentDelete === 'cascade') this.deleteRow(actor, rel.child, child, true);
        else {
          const cleared = { ...child.data, [rel.field.name]: null, SystemModstamp: now };
          this.deps.store.update(child.id, cleared);
          this.writeKeys(rel.child, child.id, cleared);
        }
      }
    }
    this.deps.store.markDeleted(row.id, now, { ...row.data, IsDeleted: true, SystemModstamp: now });
  }
}
