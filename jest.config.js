/**
 * Jest for the Lightning Web Components (`npm run test:lwc` = `sfdx-lwc-jest`, which picks up this file).
 *
 * - Components are written in TypeScript. sfdx-lwc-jest's transformer (@lwc/jest-transformer) strips types from
 *   `.ts` files with Babel's TypeScript preset before compiling them as LWC, and its resolver tries the `.ts`
 *   extension first, so `c/<name>` resolves to the TypeScript source: tests run without a prior build.
 * - jest/lwc-transformer.cjs is that transformer, pinned to the LWC compiler matching sfdx-lwc-jest's engine.
 * - Only the component tests under force-app are run here; the connector and metadata tests use node:test.
 * - jest/namespace/ runs every test a second time as the namespaced managed package (see the projects below).
 * - jest/setup-labels.cjs gives `@salesforce/label/c.*` imports the English values from CustomLabels, so tests
 *   and accessibility checks see real text; jest/setup-sa11y.cjs registers `toBeAccessible()` from @sa11y/jest.
 */
import { jestConfig } from '@salesforce/sfdx-lwc-jest/config.js';
import namespaceConfig from './jest/namespace/config.cjs';

const TRANSFORMER = '<rootDir>/jest/lwc-transformer.cjs';
const SETUP = [
  ...(jestConfig.setupFilesAfterEnv ?? []),
  '<rootDir>/jest/setup-labels.cjs',
  '<rootDir>/jest/setup-sa11y.cjs',
  '<rootDir>/jest/setup-org-names.cjs',
];

const base = {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  testMatch: ['**/lwc/**/__tests__/**/*.test.ts'],
  clearMocks: true,
};

/**
 * Every test runs twice: once as a source deploy (no namespace) and once as the managed package in a subscriber
 * org, with the namespace prefix applied the way the platform applies it (schema imports and gql queries only; see
 * jest/namespace/). A plain-string API name in a component passes the first run and fails the second.
 */
export default {
  projects: [
    {
      ...base,
      displayName: 'lwc',
      transform: { ...jestConfig.transform, '^.+\\.(js|ts|html|css)$': TRANSFORMER },
      setupFilesAfterEnv: SETUP,
    },
    {
      ...base,
      displayName: `lwc namespace ${namespaceConfig.TEST_NAMESPACE}__`,
      transform: {
        ...jestConfig.transform,
        '^.+\\.(js|ts|html|css)$': [TRANSFORMER, { namespace: namespaceConfig.TEST_NAMESPACE }],
      },
      setupFilesAfterEnv: [...SETUP, '<rootDir>/jest/namespace/setup.cjs'],
    },
  ],
};
