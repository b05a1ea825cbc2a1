/** The Store contract (store-contract.ts) on SQLite: in-memory stores, and files where a test shares or reopens one. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { StoreLocation } from './open.js';
import { SqliteStore } from './sqlite-store.js';
import { storeContract } from './store-contract.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

storeContract({
  name: 'SqliteStore',
  async location({ persistent }): Promise<StoreLocation> {
    if (!persistent) return { kind: 'sqlite', path: ':memory:' };
    const dir = mkdtempSync(path.join(tmpdir(), 'cosell-store-'));
    dirs.push(dir);
    return { kind: 'sqlite', path: path.join(dir, 'store.sqlite') };
  },
  async open(location, options = {}) {
    if (location.kind !== 'sqlite') throw new Error('the SQLite harness opens SQLite locations only');
    return new SqliteStore({ path: location.path, ...options });
  },
});
