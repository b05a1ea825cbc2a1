// Matchers added by @sa11y/jest (registered in jest/setup-sa11y.cjs): `await expect(element).toBeAccessible()`.
import '@sa11y/jest';
