/**
 * A component's source as the platform compiles it in a managed package with a namespace: package API names in
 * `@salesforce/schema/…` import paths and in gql templates get the prefix ("Use a Namespace and Alias in Managed
 * Packages", Salesforce GraphQL API Developer Guide: namespacing is resolved automatically for custom objects and
 * fields in a query; schema imports resolve to the package's own, namespaced, fields). Plain strings are left as
 * they are — as on the platform — and the component's calls to the data modules go through namespace/lightning/*,
 * which stand for an org that speaks namespaced names.
 *
 * Only component sources are rewritten (not tests, not this folder): tests keep describing the org in plain names.
 */
const path = require('node:path');
const { createNamespace } = require('./package-names.cjs');

const LWC_DIR = `${path.sep}lwc${path.sep}`;
const DATA_MODULES = ['uiRecordApi', 'uiObjectInfoApi', 'uiRelatedListApi', 'graphql', 'empApi'];
const cache = new Map();

function namespaceFor(namespace) {
  if (!cache.has(namespace)) cache.set(namespace, createNamespace(namespace));
  return cache.get(namespace);
}

function isComponentSource(sourcePath) {
  return sourcePath.includes(LWC_DIR) && !sourcePath.includes(`${path.sep}__tests__${path.sep}`) && /\.(ts|js)$/.test(sourcePath);
}

function namespaceComponentSource(sourceText, sourcePath, namespace) {
  if (!isComponentSource(sourcePath)) return sourceText;
  const ns = namespaceFor(namespace);
  return sourceText
    .replace(/(['"])@salesforce\/schema\/([^'"]+)\1/g, (_m, quote, ref) => `${quote}@salesforce/schema/${ns.namespacedText(ref)}${quote}`)
    .replace(/\bgql`([^`]*)`/g, (_m, query) => `gql\`${ns.namespacedText(query)}\``)
    .replace(
      new RegExp(`(from\\s+)(['"])lightning/(${DATA_MODULES.join('|')})\\2`, 'g'),
      (_m, from, quote, name) => `${from}${quote}${path.join(__dirname, 'lightning', `${name}.cjs`)}${quote}`
    );
}

module.exports = { namespaceComponentSource, DATA_MODULES };
