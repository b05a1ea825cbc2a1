/**
 * sfdx-lwc-jest's transformer (@lwc/jest-transformer), compiling components with the LWC compiler that matches the
 * LWC engine sfdx-lwc-jest runs tests on.
 *
 * Why: npm hoists @lwc/jest-transformer to the top of node_modules, where `require('@lwc/compiler')` finds the
 * newer compiler that @lwc/sfdc-lwc-compiler (the platform compiler used by `npm run validate`) depends on, while
 * sfdx-lwc-jest keeps its own matching compiler and engine nested under it. Templates compiled by one major version
 * and run by another can break at run time (the engine warns "current engine is v8…, but template was compiled
 * with v9…"). This shim resolves only the transformer's own compiler imports to sfdx-lwc-jest's copies.
 */
const Module = require('node:module');
const path = require('node:path');

const sfdxLwcJest = path.dirname(require.resolve('@salesforce/sfdx-lwc-jest/package.json'));
const requireFromSfdxLwcJest = Module.createRequire(path.join(sfdxLwcJest, 'package.json'));
// The package exports only its entry point (src/index.js): its folder is one level up.
const transformerDir = path.resolve(path.dirname(require.resolve('@lwc/jest-transformer')), '..') + path.sep;
const PINNED = ['@lwc/compiler', '@lwc/template-compiler'];

const pinned = (request) => PINNED.some((name) => request === name || request.startsWith(`${name}/`));

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveWithPinnedCompiler(request, parent, ...rest) {
  if (pinned(request) && parent && parent.filename && parent.filename.startsWith(transformerDir)) {
    return requireFromSfdxLwcJest.resolve(request);
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

const transformer = require('@lwc/jest-transformer');
const { namespaceComponentSource } = require('./namespace/source.cjs');

/**
 * With `{ namespace }` in the transformer options (the namespaced Jest project), component sources are compiled the
 * way the platform compiles them in a managed package: see namespace/source.cjs.
 */
module.exports = {
  ...transformer,
  process(sourceText, sourcePath, options) {
    const namespace = options?.transformerConfig?.namespace;
    const source = namespace ? namespaceComponentSource(sourceText, sourcePath, namespace) : sourceText;
    return transformer.process(source, sourcePath, options);
  },
  getCacheKey(sourceText, sourcePath, options) {
    const namespace = options?.transformerConfig?.namespace ?? '';
    return `${transformer.getCacheKey(sourceText, sourcePath, options)}:${namespace}`;
  },
};
