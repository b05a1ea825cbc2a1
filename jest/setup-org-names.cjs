/**
 * `orgApiName(text)` (declared in types/lwc/jest-env.d.ts): the org's name for the package API names in a text.
 * Unchanged here; the namespaced run (jest/namespace/setup.cjs) prefixes them.
 */
globalThis.orgApiName = (text) => text;
