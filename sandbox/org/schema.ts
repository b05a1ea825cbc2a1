/**
 * Schema registry: looks up objects, fields and relationships by name the way the platform does (API names are
 * case-insensitive) and always hands back the canonical spelling for responses.
 */
import { OPPORTUNITY_PACKAGE_FIELDS, PACKAGE_OBJECTS } from './schema-package.js';
import { STANDARD_OBJECTS } from './schema-standard.js';
import { field, values, type FieldDef, type FieldType, type ObjectDef } from './schema-types.js';

/**
 * A field the org has beyond the package, as a customer's org would (e.g. a text field holding an ISO country code
 * that the settings' country field points at).
 */
export interface ExtraFieldSpec {
  name: string;
  type: Exclude<FieldType, 'id' | 'reference'>;
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  required?: boolean;
  externalId?: boolean;
  unique?: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  defaultValue?: string | number | boolean;
}

function extraField(spec: ExtraFieldSpec): FieldDef {
  return field(spec.name, spec.label ?? spec.name, spec.type, {
    length: spec.length,
    precision: spec.precision,
    scale: spec.scale,
    nillable: !spec.required,
    externalId: spec.externalId,
    unique: spec.unique,
    picklist: spec.picklistValues ? values(spec.picklistValues) : undefined,
    restrictedPicklist: spec.restrictedPicklist,
    defaultValue: spec.defaultValue,
  });
}

export interface ChildRelationship {
  relationshipName: string;
  child: ObjectDef;
  field: FieldDef;
}

export interface ParentRelationship {
  field: FieldDef;
  target: ObjectDef;
}

export class Schema {
  private readonly objects = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();
  private readonly fieldIndex = new Map<string, Map<string, FieldDef>>();
  private readonly children = new Map<string, ChildRelationship[]>();

  constructor(defs: ObjectDef[]) {
    for (const def of defs) {
      this.objects.set(def.name.toLowerCase(), def);
      this.byPrefix.set(def.keyPrefix, def);
      this.fieldIndex.set(def.name, new Map(def.fields.map((f) => [f.name.toLowerCase(), f])));
    }
    for (const def of defs) {
      for (const f of def.fields) {
        if (f.type !== 'reference' || !f.childRelationshipName) continue;
        const parent = f.referenceTo[0];
        const list = this.children.get(parent) ?? [];
        list.push({ relationshipName: f.childRelationshipName, child: def, field: f });
        this.children.set(parent, list);
      }
    }
  }

  list(): ObjectDef[] {
    return [...this.objects.values()];
  }

  object(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  /** Like object(), for names the org itself uses (a miss is a bug, not a client error). */
  require(name: string): ObjectDef {
    const def = this.object(name);
    if (!def) throw new Error(`unknown object ${name}`);
    return def;
  }

  objectForId(id: string): ObjectDef | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  field(obj: ObjectDef, name: string): FieldDef | undefined {
    return this.fieldIndex.get(obj.name)?.get(name.toLowerCase());
  }

  /** `Account` on Opportunity, `Opportunity__r` on Microsoft_Solution__c, `Owner` on anything owned. */
  parentRelationship(obj: ObjectDef, name: string): ParentRelationship | undefined {
    const lower = name.toLowerCase();
    const f = obj.fields.find((x) => x.relationshipName?.toLowerCase() === lower);
    if (!f) return undefined;
    return { field: f, target: this.require(f.referenceTo[0]) };
  }

  childRelationships(obj: ObjectDef): ChildRelationship[] {
    return this.children.get(obj.name) ?? [];
  }

  childRelationship(obj: ObjectDef, name: string): ChildRelationship | undefined {
    const lower = name.toLowerCase();
    return this.childRelationships(obj).find((c) => c.relationshipName.toLowerCase() === lower);
  }
}

/** The local org's schema: standard objects plus the package's metadata, plus any extra fields per object. */
export function createSchema(extraFields: Record<string, ExtraFieldSpec[]> = {}): Schema {
  const objects = [...STANDARD_OBJECTS, ...PACKAGE_OBJECTS].map((o) => {
    const fields = [...o.fields, ...(o.name === 'Opportunity' ? OPPORTUNITY_PACKAGE_FIELDS : [])];
    for (const spec of extraFields[o.name] ?? []) {
      if (fields.some((f) => f.name.toLowerCase() === spec.name.toLowerCase())) throw new Error(`${o.name}.${spec.name} already exists`);
      fields.push(extraField(spec));
    }
    return { ...o, fields };
  });
  const unknown = Object.keys(extraFields).filter((name) => !objects.some((o) => o.name === name));
  if (unknown.length > 0) throw new Error(`extra fields for unknown objects: ${unknown.join(', ')}`);
  return new Schema(objects);
}
