/**
 * A component's source as the platform compiles it in a managed package with a namespace (`platformSource` of
 * scripts/lib/package-names.cjs, which the namespaced browser preview uses too: schema imports and gql templates
 * prefixed, plain strings left as they are), and the component's calls to the data modules sent through
 * namespace/lightning/*, which stand for an org that speaks namespaced names.
 *
 * Only component sources are rewritten (not tests, not this folder): tests keep describing the org in plain names.
 */
const path = require('node:path');
const { createNamespace, platformSource } = require('../../scripts/lib/package-names.cjs');

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
  return platformSource(sourceText, ns).replace(
    new RegExp(`(from\\s+)(['"])lightning/(${DATA_MODULES.join('|')})\\2`, 'g'),
    (_m, from, quote, name) => `${from}${quote}${path.join(__dirname, 'lightning', `${name}.cjs`)}${quote}`
  );
}

module.exports = { namespaceComponentSource, DATA_MODULES };
