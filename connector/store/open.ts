/**
 * Which store the connector uses and how it is opened: SQLite at `store.path` by default, Postgres when
 * `store.url` (COSELL_STORE_URL) is set, so several instances can share the queue. Each driver is imported only
 * when chosen. A store URL may carry a password: it only ever appears here redacted.
 */
import { statSync } from 'node:fs';
import type { RetryPolicy } from '../queue/policy.js';
import type { Store } from '../queue/types.js';

export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface OpenStoreOptions {
  retry?: Partial<RetryPolicy>;
  now?: () => number;
  random?: () => number;
  /** Postgres: an idle pooled connection broke (the pool reconnects on the next query). */
  onConnectionError?: (error: Error) => void;
  /**
   * Open only a store that is already there (commands that read it: status, dead letters). A SQLite path with no
   * file is refused instead of becoming a new, empty store that would report "nothing queued".
   */
  mustExist?: boolean;
}

export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}

const POSTGRES_PROTOCOLS = new Set(['postgres:', 'postgresql:']);

/** The store named by the configuration: `store.url` wins over `store.path`. */
export function storeLocation(store: { path: string; url?: string | null }): StoreLocation {
  return store.url ? { kind: 'postgres', url: store.url } : { kind: 'sqlite', path: store.path };
}

/** The URL with its password replaced, for messages and status output; unparseable text is not echoed at all. */
export function redactStoreUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(an unparseable URL)';
  }
  if (parsed.password) parsed.password = '***';
  for (const name of ['password', 'sslpassword']) if (parsed.searchParams.has(name)) parsed.searchParams.set(name, '***');
  return parsed.toString();
}

/** Where the store is, for people: the file, or the redacted URL. */
export function describeStoreLocation(location: StoreLocation): string {
  return location.kind === 'sqlite' ? location.path : redactStoreUrl(location.url);
}

/** Why a Postgres store URL cannot be used, or null when it can. */
export function postgresUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL; use postgres://user@host:5432/database';
  }
  if (!POSTGRES_PROTOCOLS.has(parsed.protocol)) return `must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`;
  if (!parsed.hostname && !parsed.searchParams.get('host')) return 'names no host; use postgres://user@host:5432/database';
  const schema = parsed.searchParams.get('schema');
  if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) return `has schema=${schema}, which is not a plain identifier (letters, digits and _)`;
  return null;
}

/** The password a store URL carries (decoded), if any: for scrubbing it from logs and messages. */
export function storeUrlPassword(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return (parsed.password ? decodeURIComponent(parsed.password) : parsed.searchParams.get('password')) || undefined;
  } catch {
    return undefined;
  }
}

/** Removes the password from a driver's message in case it echoed it (node-postgres does not, but a message must never leak it). */
function scrub(message: string, url: string): string {
  const password = storeUrlPassword(url);
  return password ? message.split(password).join('***') : message;
}

/**
 * Refuses a SQLite path that cannot be a store before SQLite touches it: a directory or a device (a FIFO would
 * block the open forever), and, when the store must exist, a missing file.
 */
function sqlitePathProblem(file: string, mustExist: boolean): void {
  if (file === ':memory:') return;
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (!mustExist) return;
      throw new StoreOpenError(`There is no store at ${file}: no connector has run with it. Check --store, COSELL_STORE_PATH or "store.path" (\`cosell start\` creates the store).`);
    }
    throw new StoreOpenError(`Cannot read the store path ${file}: ${(error as Error).message}.`);
  }
  if (stats.isDirectory()) throw new StoreOpenError(`${file} is a directory, not a store file; give the store's file (for example ${file.replace(/\/+$/, '')}/cosell.sqlite).`);
  if (!stats.isFile()) throw new StoreOpenError(`${file} is not a regular file, so it cannot be a store; give the store's file.`);
}

/**
 * Opens the store and checks it can be read. A Postgres server that is unreachable, refuses the login or lacks
 * the database fails here with a StoreOpenError naming the setting, the redacted URL and the fix.
 */
export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  if (location.kind === 'sqlite') {
    const { mustExist, ...rest } = options;
    sqlitePathProblem(location.path, mustExist === true);
    const { SqliteStore } = await import('./sqlite-store.js');
    try {
      return new SqliteStore({ path: location.path, ...rest });
    } catch (error) {
      throw new StoreOpenError(`Cannot open the SQLite store ${location.path}: ${(error as Error).message}; check the path (setting "store.path", COSELL_STORE_PATH) points at the connector's store file and that this user may read and write it.`);
    }
  }
  const where = `the Postgres store ${redactStoreUrl(location.url)} (setting "store.url", COSELL_STORE_URL)`;
  const problem = postgresUrlProblem(location.url);
  if (problem) throw new StoreOpenError(`Setting "store.url" ${problem}; set COSELL_STORE_URL or "store.url" in the config file.`);
  const { PostgresStore } = await import('./postgres-store.js');
  try {
    const store = await PostgresStore.open({ url: location.url, ...options });
    await store.ping();
    return store;
  } catch (error) {
    const err = error as Error & { code?: string };
    const code = err.code ? ` [${err.code}]` : '';
    const hint =
      err.code === '28P01' || err.code === '28000'
        ? 'check the user name and password (in the URL or PGPASSWORD)'
        : err.code === '3D000'
          ? 'create the database first (createdb) or fix its name in the URL'
          : err.code === '42501'
            ? 'grant the user CREATE on the database (or schema) so the connector can create its tables'
            : 'check the host and port, and that the server is running and accepts connections from here';
    throw new StoreOpenError(`Cannot open ${where}: ${scrub(err.message || String(error), location.url)}${code}; ${hint}.`);
  }
}
