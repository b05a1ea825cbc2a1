// eslint-plugin-import resolver for this repository's TypeScript: the sources import each other by the `.js` name
// tsc emits (`./gateway.js` for gateway.ts, as Node's ESM resolution requires), which the node resolver cannot map
// back to a file. A relative `.js` specifier whose `.ts` source exists resolves to that source; everything else
// (packages, builtins, real .js files) goes to eslint-import-resolver-node unchanged.
const { existsSync } = require('node:fs');
const path = require('node:path');
const node = require('eslint-import-resolver-node');

exports.interfaceVersion = 2;

exports.resolve = (source, file, config) => {
  if (source.startsWith('.') && source.endsWith('.js')) {
    const ts = path.resolve(path.dirname(file), `${source.slice(0, -3)}.ts`);
    if (existsSync(ts)) return { found: true, path: ts };
  }
  return node.resolve(source, file, config);
};
