// Matchers added by @sa11y/jest (registered in jest/setup-sa11y.cjs): `await expect(element).toBeAccessible()`.
import '@sa11y/jest';

/**
 * The org's name for a package API name in LWC Jest: prefixed in the namespaced run (jest/namespace/), unchanged
 * otherwise. Applied to a whole text, it prefixes every package API name in it.
 */
declare global {
  function orgApiName(text: string): string;
}
