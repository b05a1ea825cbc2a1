/**
 * `npm run test:node`: every `*.test.ts` outside the LWC bundles (connector, sandbox, scripts, metadata and
 * end-to-end suites) under Node's own test runner, with tsx so TypeScript runs as written.
 * Arguments narrow the run to files whose path contains any of them: `npm run test:node -- engine store`.
 * The browser suites (test/preview) need Chromium installed first, so they run only when asked for by name
 * (`npm run test:preview` installs the browser, then runs them through this runner).
 * `--namespace=<prefix>` runs the chosen files as with the managed package's namespace (COSELL_SF_NAMESPACE: the
 * local org stands for a subscriber org, the connector and the e2e seller speak prefixed names):
 * `npm run test:e2e:namespace` is the whole e2e suite that way.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/paths.js';

const SEARCH = ['connector', 'sandbox', 'scripts', 'test'];
const SKIP = new Set(['node_modules', 'dist', '__tests__', 'fixtures']);
const ON_REQUEST = ['test/preview/'];

function findTests(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : findTests(full);
    return e.name.endsWith('.test.ts') ? [path.relative(ROOT, full)] : [];
  });
}

const args = process.argv.slice(2);
const namespaceArg = args.find((a) => a.startsWith('--namespace='));
const namespace = namespaceArg?.slice('--namespace='.length);
if (namespaceArg !== undefined && !/^[A-Za-z][A-Za-z0-9]{0,14}$/.test(namespace ?? '')) {
  console.error(`test:node: --namespace needs a namespace prefix (1–15 letters and digits), got "${namespace}"`);
  process.exit(1);
}
const filters = args.filter((a) => a !== namespaceArg);
const files = SEARCH.flatMap((d) => findTests(path.join(ROOT, d)))
  .filter((f) =>
    filters.length === 0
      ? !ON_REQUEST.some((prefix) => f.startsWith(prefix))
      : filters.some((needle) => f.includes(needle)),
  )
  .sort();
if (files.length === 0) {
  console.error(`test:node: no test files found${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, NODE_NO_WARNINGS: '1', ...(namespace ? { COSELL_SF_NAMESPACE: namespace } : {}) },
});
child.on('close', (code) => process.exit(code ?? 1));
