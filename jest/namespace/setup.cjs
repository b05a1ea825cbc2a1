/**
 * Namespaced LWC Jest run: a package API name the component sent to the org without the namespace prefix (a plain
 * string, which the platform does not namespace) fails the test that made it happen.
 */
const { ns } = require('./runtime.cjs');

/**
 * `orgApiName(text)` (declared in types/lwc/jest-env.d.ts): the org's name for the package API names in a text, for
 * expectations on text a component builds from a schema import (a record URL). Identity in the plain run.
 */
globalThis.orgApiName = ns.namespacedText;

afterEach(() => {
  const plain = [...new Set(ns.violations.splice(0))];
  if (plain.length > 0) {
    throw new Error(
      `Package API names reached the org without the "${ns.prefix}" namespace prefix: ${plain.join(', ')}. ` +
        'Use an @salesforce/schema import (or a gql query), which the platform namespaces, instead of a plain string.'
    );
  }
});
