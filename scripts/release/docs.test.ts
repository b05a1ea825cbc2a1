/** OPERATIONS.md and UPGRADING.md name metrics, settings and commands; each must exist in the code. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { registeredCommands } from '../../connector/cli/index.js';
import { SETTINGS } from '../../connector/config/connector-settings.js';
import { ConnectorMetrics } from '../../connector/observability/metrics.js';
import type { Store } from '../../connector/queue/types.js';
import { ROOT } from '../lib/paths.js';

const operations = readFileSync(path.join(ROOT, 'docs/OPERATIONS.md'), 'utf8');
const upgrading = readFileSync(path.join(ROOT, 'docs/UPGRADING.md'), 'utf8');
const both = operations + upgrading;
const unique = (values: string[]) => [...new Set(values)];

describe('operations and upgrade docs', () => {
  it('describe every metric the connector exports, and only those', () => {
    // The store is read only when metrics are scraped; listing them needs none.
    const metrics = new ConnectorMetrics({} as Store, { defaultMetrics: false });
    const exported = metrics.registry.getMetricsAsArray().map((m) => m.name);
    for (const name of exported) assert.ok(operations.includes(`\`${name}`), `OPERATIONS.md describes ${name}`);
    for (const name of unique(operations.match(/\bcosell_[a-z_]+/g) ?? [])) {
      assert.ok(exported.includes(name), `OPERATIONS.md names ${name}, which the connector does not export`);
    }
  });

  it('name only real settings', () => {
    const known = new Set(SETTINGS.flatMap((s) => [s.env, ...(s.secret ? [`${s.env}_FILE`] : [])]));
    const named = unique(both.match(/\bCOSELL_[A-Z_]+[A-Z]/g) ?? []);
    assert.ok(named.length >= 10, 'the docs name settings');
    for (const name of named) assert.ok(known.has(name), `${name} is a connector setting`);
  });

  it('name only real cosell commands', () => {
    const commands = new Set(registeredCommands().map((c) => c.name));
    const named = [/`cosell ([a-z][a-z-]+)/g, /cli\/index\.js ([a-z][a-z-]+)/g, /^cosell ([a-z][a-z-]+)/gm].flatMap((re) => [...both.matchAll(re)].map((m) => m[1]));
    assert.ok(named.length >= 5, 'the docs show the commands');
    for (const name of named) assert.ok(commands.has(name), `cosell ${name} is a command`);
  });
});
