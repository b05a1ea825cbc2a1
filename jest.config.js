/**
 * Jest for the Lightning Web Components (`npm run test:lwc` = `sfdx-lwc-jest`, which picks up this file).
 *
 * - Components are written in TypeScript. sfdx-lwc-jest's transformer (@lwc/jest-transformer) strips types from
 *   `.ts` files with Babel's TypeScript preset before compiling them as LWC, and its resolver tries the `.ts`
 *   extension first, so `c/<name>` resolves to the TypeScript source: tests run without a prior build.
 * - jest/lwc-transformer.cjs is that transformer, pinned to the LWC compiler matching sfdx-lwc-jest's engine.
 * - Only the component tests under force-app are run here; the connector and metadata tests use node:test.
 * - jest/setup-labels.cjs gives `@salesforce/label/c.*` imports the English values from CustomLabels, so tests
 *   and accessibility checks see real text; jest/setup-sa11y.cjs registers `toBeAccessible()` from @sa11y/jest.
 */
import { jestConfig } from '@salesforce/sfdx-lwc-jest/config.js';

export default {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  transform: {
    ...jestConfig.transform,
    '^.+\\.(js|ts|html|css)$': '<rootDir>/jest/lwc-transformer.cjs',
  },
  testMatch: ['**/lwc/**/__tests__/**/*.test.ts'],
  setupFilesAfterEnv: [
    ...(jestConfig.setupFilesAfterEnv ?? []),
    '<rootDir>/jest/setup-labels.cjs',
    '<rootDir>/jest/setup-sa11y.cjs',
  ],
  clearMocks: true,
};
