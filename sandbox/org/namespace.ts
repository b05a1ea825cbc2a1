/**
 * The local org as a subscriber org of the managed package: with a namespace, the package's objects, fields,
 * platform events and relationships are named `<ns>__Name` on the API (Second-Generation Managed Packages,
 * Salesforce DX Developer Guide, "Namespaces": the namespace prefix is part of every packaged component's API name
 * in the orgs that install it). Inside, the org keeps the package's plain names (its flows and validation
 * rules are the package's own, which the platform resolves in the package namespace); this layer renames at the
 * REST boundary only.
 *
 * Strict where a real org is: a package name sent *without* the prefix names nothing in a subscriber org, so it is
 * refused (INVALID_FIELD / INVALID_TYPE) instead of being accepted.
 */
import { ApiError } from './errors.js';
import { OPPORTUNITY_PACKAGE_FIELDS, PACKAGE_OBJECTS } from './schema-package.js';

const TOKEN = /[A-Za-z][A-Za-z0-9_]*__[cer]\b/g;

/** The package's API names: objects, fields (on its objects and on Opportunity) and relationship names. */
export function packageNames(): Set<string> {
  const names = new Set<string>();
  const addField = (f: { name: string; relationshipName?: string | null; childRelationshipName?: string | null }) => {
    names.add(f.name);
    if (f.relationshipName && /__r$/.test(f.relationshipName)) names.add(f.relationshipName);
    if (f.childRelationshipName && /__r$/.test(f.childRelationshipName)) names.add(f.childRelationshipName);
  };
  for (const object of PACKAGE_OBJECTS) {
    names.add(object.name);
    for (const f of object.fields) if (/__[ce]$/.test(f.name) || /__r$/.test(f.relationshipName ?? '')) addField(f);
  }
  for (const f of OPPORTUNITY_PACKAGE_FIELDS) addField(f);
  return names;
}

export class OrgNamespace {
  readonly prefix: string;

  constructor(readonly namespace: string, private readonly names = packageNames()) {
    this.prefix = `${namespace}__`;
  }

  /** Text as the API shows it: every package name prefixed. */
  toApiText(text: string): string {
    return text.replace(TOKEN, (token) => (this.names.has(token) ? this.prefix + token : token));
  }

  /** Text an API client sent, read back to the package's names; `strict` refuses an unprefixed package name. */
  fromApiText(text: string, strict: boolean): string {
    return text.replace(TOKEN, (token) => {
      if (token.startsWith(this.prefix) && this.names.has(token.slice(this.prefix.length))) return token.slice(this.prefix.length);
      if (strict && this.names.has(token)) {
        throw new ApiError(400, 'INVALID_FIELD', `No such column or entity '${token}': in this org the package's names carry the namespace prefix (${this.prefix}${token}).`);
      }
      return token;
    });
  }

  /** A response body: keys and strings renamed for the API. */
  toApi(value: unknown): unknown {
    if (typeof value === 'string') return this.toApiText(value);
    if (Array.isArray(value)) return value.map((v) => this.toApi(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.toApiText(k), this.toApi(v)]));
    }
    return value;
  }

  /**
   * A request body: keys (field and relationship names), `type`s and subrequest `url`s must use prefixed names;
   * other strings (record values) are only read back, never refused, since they are data.
   */
  fromApi(value: unknown, key?: string): unknown {
    if (typeof value === 'string') return this.fromApiText(value, key === 'type' || key === 'url' || key === 'referenceId' ? key !== 'referenceId' : false);
    if (Array.isArray(value)) return value.map((v) => this.fromApi(v, key));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.fromApiText(k, true), this.fromApi(v, k)]));
    }
    return value;
  }
}
