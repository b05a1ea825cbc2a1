/**
 * docs/connector-configuration.md against the code: one table row per setting of the config schema, with the
 * environment variable the loader reads, the `_FILE` form for secrets, and the default the loader applies.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { configSchema } from './schema.js';
import { SETTINGS, SETTINGS_BY_PATH } from './connector-settings.js';
import { DEFAULTS } from './types.js';

const DOC = readFileSync(fileURLToPath(new URL('../../docs/connector-configuration.md', import.meta.url)), 'utf8');

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
}

/** Leaf paths of the schema: every key an admin can set. */
function leafPaths(node: SchemaNode, prefix = ''): string[] {
  if (node.type !== 'object' || !node.properties) return [prefix];
  return Object.entries(node.properties).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}

/** `| \`key\` | \`ENV\` … | default | description |` rows of the settings table, by key. */
function documentedRows(): Map<string, { env: string; default: string }> {
  const rows = new Map<string, { env: string; default: string }>();
  for (const line of DOC.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const key = /^`([\w.]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!key || cells.length < 6) continue;
    assert.ok(!rows.has(key), `"${key}" is documented twice`);
    rows.set(key, { env: cells[2], default: cells[3] });
  }
  return rows;
}

const defaultOf = (path: string): unknown => path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], DEFAULTS);

describe('docs/connector-configuration.md', () => {
  const rows = documentedRows();

  it('documents every key of the config schema, and nothing that is not a setting', () => {
    const keys = leafPaths(configSchema as unknown as SchemaNode);
    assert.ok(keys.length >= 30, `only ${keys.length} keys found in the schema`);
    const missing = keys.filter((k) => !rows.has(k));
    assert.deepEqual(missing, [], `add a row for each of these to docs/connector-configuration.md`);
    const stale = [...rows.keys()].filter((k) => !keys.includes(k));
    assert.deepEqual(stale, [], 'these rows are not settings any more');
  });

  it('names the environment variable of each setting, and the _FILE form of each secret', () => {
    for (const setting of SETTINGS) {
      const row = rows.get(setting.path);
      assert.ok(row, setting.path);
      const expected = setting.secret ? `\`${setting.env}\` or \`${setting.env}_FILE\`` : `\`${setting.env}\``;
      assert.equal(row.env, expected, setting.path);
    }
  });

  it('gives the default the loader applies', () => {
    for (const [key, row] of rows) {
      const value = defaultOf(key);
      const expected = value === undefined ? '—' : `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
      assert.equal(row.default, expected, key);
    }
  });

  it('marks the secrets as secrets', () => {
    for (const [key, row] of rows) {
      const secret = SETTINGS_BY_PATH.get(key)?.secret === true;
      const line = DOC.split('\n').find((l) => l.startsWith(`| \`${key}\` |`))!;
      assert.equal(/\*\*Secret[.,]/.test(line), secret, `${key}: ${row.env}`);
    }
  });
});
