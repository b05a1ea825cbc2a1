// Registers Salesforce's accessibility matcher: `await expect(element).toBeAccessible()` runs axe-core rules
// (the sa11y base preset) against the rendered DOM, including shadow roots.
const { registerSa11yMatcher } = require('@sa11y/jest');

registerSa11yMatcher();
