/**
 * The layer rules in eslint.config.js are in force: for each row of the table a file that breaks it is written into
 * the tree, and the lint step of `npm run validate` fails naming that file and the rule; the same kind of file with
 * an allowed import passes, so the check can tell the two apart.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT } from '../lib/paths.js';
import { validateLint } from './eslint.js';

const written: string[] = [];
after(() => written.forEach((file) => rmSync(file, { force: true })));

let n = 0;
/** A probe module in `dir` with `source`; removed after the suite. */
function probe(dir: string, source: string, name = `layer-probe-${process.pid}-${++n}`): string {
  const file = path.join(ROOT, dir, `${name}.ts`);
  writeFileSync(file, `${source}\n`);
  written.push(file);
  return file;
}

const FORBIDDEN: [string, string, string][] = [
  ['the engine imports only the model', 'connector/engine', "import type { SalesforceGateway } from '../salesforce/gateway.js';\nexport type Probe = SalesforceGateway;"],
  ['an adapter imports no other adapter', 'connector/http', "import { SqliteStore } from '../store/sqlite-store.js';\nexport const probe = SqliteStore;"],
  ['an adapter does not import the sync layer', 'connector/store', "import type { Worker } from '../sync/worker.js';\nexport type Probe = Worker;"],
  ['the sync layer does not import the HTTP edge', 'connector/sync', "import { buildHttpServer } from '../http/server.js';\nexport const probe = buildHttpServer;"],
  ['the connector does not import the sandbox', 'connector/sync', "import { startLocalOrg } from '../../sandbox/org/index.js';\nexport const probe = startLocalOrg;"],
  ['the connector does not import tests', 'connector/cli', "import { startStack } from '../../test/support/sync-stack.js';\nexport const probe = startStack;"],
  ['the connector does not import scripts', 'connector', "import { ROOT } from '../scripts/lib/paths.js';\nexport const probe = ROOT;"],
  ['the local org imports nothing from connector', 'sandbox/org', "import { normalizeId } from '../../connector/model/salesforce-id.js';\nexport const probe = normalizeId;"],
  ['the emulator imports nothing from connector', 'sandbox/partner-center', "import type { Referral } from '../../connector/model/referral.js';\nexport type Probe = Referral;"],
];

describe('layer rules (eslint.config.js)', { timeout: 240_000 }, () => {
  it('fail the lint step on each forbidden import, and on an import cycle', async () => {
    const files = FORBIDDEN.map(([, dir, source]) => probe(dir, source));
    const name = `layer-probe-${process.pid}-cycle`;
    files.push(probe('connector/sync', `import { b } from './${name}-b.js';\nexport const a = (): number => b();`, `${name}-a`));
    probe('connector/sync', `import { a } from './${name}-a.js';\nexport const b = (): number => 1;\nexport const c = a;`, `${name}-b`);
    const result = await validateLint(files);
    assert.equal(result.ok, false, result.report);
    const sections = result.report.split(/\n(?=\/)/);
    for (const [index, [rule]] of FORBIDDEN.entries()) {
      const section = sections.find((s) => s.startsWith(files[index]));
      assert.ok(section && /import\/no-restricted-paths/.test(section), `${rule}: ${path.relative(ROOT, files[index])} is refused\n${result.report}`);
    }
    const cycle = sections.find((s) => s.startsWith(files.at(-1)!));
    assert.ok(cycle && /import\/no-cycle/.test(cycle), `an import cycle is refused\n${result.report}`);
  });

  it('pass the imports the layers allow', async () => {
    const allowed = [
      probe('connector/engine', "import type { Referral } from '../model/referral.js';\nexport type Probe = Referral;"),
      probe('connector/http', "import type { Store } from '../queue/types.js';\nexport type Probe = Store;"),
      probe('connector/sync', "import type { SalesforceGateway } from '../salesforce/gateway.js';\nexport type Probe = SalesforceGateway;"),
      probe('sandbox/stack', "import type { Referral } from '../../connector/model/referral.js';\nexport type Probe = Referral;"),
    ];
    const result = await validateLint(allowed);
    assert.equal(result.ok, true, result.report);
  });
});
