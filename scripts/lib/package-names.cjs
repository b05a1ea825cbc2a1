/**
 * The package's own API names, read from the metadata in force-app, and the rewrites a managed package's namespace
 * brings. One reading for every namespaced run: LWC Jest (jest/namespace/), the browser preview (sandbox/preview)
 * and the end-to-end seller (test/support/seller.ts).
 * - `platformSource`: a component's source as the platform compiles it in the package, `@salesforce/schema` import
 *   paths and gql templates prefixed, plain strings untouched;
 * - `namespaced`: what the org speaks — the package's objects, fields, platform events and relationship names
 *   carry `ns__`;
 * - `plain`: the org's names read back without the prefix, so tests keep describing the org in plain names. A
 *   package name that arrives *without* the prefix is what a plain string in a component produces; it is recorded
 *   as a violation (and marked so that it matches nothing).
 * Why: the platform namespaces `@salesforce/schema` imports and gql queries, never plain strings ("Use a Namespace
 * and Alias in Managed Packages", Salesforce GraphQL API Developer Guide).
 */
const fs = require('node:fs');
const path = require('node:path');

const OBJECTS_DIR = path.resolve(__dirname, '..', '..', 'force-app', 'main', 'default', 'objects');
const CUSTOM_NAME = /^[A-Za-z][A-Za-z0-9_]*__[cer]$/;
const TOKEN = /[A-Za-z][A-Za-z0-9_]*__[cer]\b/g;
const UNPREFIXED = 'NOT_NAMESPACED!';

/** Objects, fields, events, lookup relationships and child relationships defined by the package. */
function packageApiNames(objectsDir = OBJECTS_DIR) {
  const names = new Set();
  for (const object of fs.readdirSync(objectsDir)) {
    if (CUSTOM_NAME.test(object)) names.add(object);
    const fieldsDir = path.join(objectsDir, object, 'fields');
    if (!fs.existsSync(fieldsDir)) continue;
    for (const file of fs.readdirSync(fieldsDir)) {
      const field = file.replace(/\.field-meta\.xml$/, '');
      if (!CUSTOM_NAME.test(field)) continue;
      names.add(field);
      const xml = fs.readFileSync(path.join(fieldsDir, file), 'utf8');
      if (/<type>(Lookup|MasterDetail)<\/type>/.test(xml)) {
        names.add(field.replace(/__c$/, '__r'));
        const child = /<relationshipName>([^<]+)<\/relationshipName>/.exec(xml);
        if (child) names.add(`${child[1]}__r`);
      }
    }
  }
  return names;
}

function createNamespace(namespace, names = packageApiNames()) {
  const prefix = `${namespace}__`;
  const violations = [];
  const namespacedText = (text) => text.replace(TOKEN, (token) => (names.has(token) ? prefix + token : token));
  const plainText = (text) =>
    text.replace(TOKEN, (token) => {
      if (token.startsWith(prefix) && names.has(token.slice(prefix.length))) return token.slice(prefix.length);
      if (names.has(token)) {
        violations.push(token);
        return UNPREFIXED + token;
      }
      return token;
    });
  const deep = (rewrite) => {
    const walk = (value) => {
      if (typeof value === 'string') return rewrite(value);
      if (Array.isArray(value)) return value.map(walk);
      if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([key, entry]) => [rewrite(key), walk(entry)]));
      }
      return value; // functions (refresh callbacks), promises, class instances pass through untouched
    };
    return walk;
  };
  return {
    namespace,
    prefix,
    names,
    violations,
    namespacedText,
    plainText,
    /** A value the org sends to the component (records, object info, query results, events). */
    toComponent: deep(namespacedText),
    /** A value the component sends to the org (wire configs, record inputs, channels). */
    toPlatform: deep(plainText),
  };
}

/**
 * A component's source as the platform compiles it in a managed package with a namespace: package API names in
 * `@salesforce/schema/…` import paths and in gql templates get the prefix ("Use a Namespace and Alias in Managed
 * Packages", Salesforce GraphQL API Developer Guide: namespacing is resolved automatically for custom objects and
 * fields in a query; schema imports resolve to the package's own, namespaced, fields). Plain strings are left as
 * they are, as on the platform.
 */
function platformSource(sourceText, ns) {
  return sourceText
    .replace(/(['"])@salesforce\/schema\/([^'"]+)\1/g, (_m, quote, ref) => `${quote}@salesforce/schema/${ns.namespacedText(ref)}${quote}`)
    .replace(/\bgql`([^`]*)`/g, (_m, query) => `gql\`${ns.namespacedText(query)}\``);
}

module.exports = { packageApiNames, createNamespace, platformSource, UNPREFIXED };
