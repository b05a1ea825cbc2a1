/** What the connector's commands share: reading the configuration and opening the store, with clear errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import path from 'node:path';
import { ConfigError, loadConfig, resolveStoreLocation } from '../../config/load.js';
import type { ConnectorConfig } from '../../config/types.js';
import { StoreOpenError, describeStoreLocation, openStore as openStoreAt, type OpenStoreOptions, type StoreLocation } from '../../store/open.js';
import type { Store, WorkItem } from '../../queue/types.js';
import { CommandError, UsageError, type CliIo } from '../command.js';

export const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const CONFIG_HELP = `  -c, --config <file>    JSON config file; environment variables (COSELL_*) override it
  -h, --help             show this help`;

/** \`--store\` and \`--json\` mean the same in every command that takes them, with the same help line. */
export const STORE_OPTION = { store: { type: 'string' } } as const;
export const JSON_OPTION = { json: { type: 'boolean' } } as const;
export const STORE_HELP = `      --store <file|url> the SQLite store file or Postgres URL (default: store.url or store.path from --config,
                         COSELL_STORE_URL or COSELL_STORE_PATH)`;
export const JSON_HELP = `      --json             print JSON (times as ISO 8601, as in the text output)`;

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function resolveFile(file: string | undefined, io: CliIo): string | undefined {
  return file === undefined ? undefined : path.resolve(io.cwd, file);
}

/** The full configuration, as `cosell start` uses it; a configuration problem is a usage error naming the setting. */
export function configFrom(values: { config?: string }, io: CliIo, overrides: Parameters<typeof loadConfig>[0] = {}): ConnectorConfig {
  try {
    return loadConfig({ ...overrides, configFile: resolveFile(values.config, io) });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`the configuration is not usable:\n${error.message}`);
    throw error;
  }
}

/**
 * The store's driver (node:sqlite or pg, and the service) loads only when a command needs it, so \`cosell --help\`
 * and \`cosell map\` stay free of SQLite's start-up warning and load time. A store that cannot be opened (an
 * unreachable Postgres) is a configuration error naming the setting.
 */
export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  try {
    return await openStoreAt(location, options);
  } catch (error) {
    if (error instanceof StoreOpenError) throw new UsageError(error.message);
    throw error;
  }
}

/** \`--store\` as a store location: a Postgres URL or a SQLite file relative to the working directory. */
export function storeOverride(value: string | undefined, io: CliIo): StoreLocation | undefined {
  if (!value) return undefined;
  return /^postgres(ql)?:\/\//.test(value) ? { kind: 'postgres', url: value } : { kind: 'sqlite', path: path.resolve(io.cwd, value) };
}

/** The store's settings with \`--store\` applied, for commands that load the whole configuration. */
export function withStore(config: ConnectorConfig, value: string | undefined, io: CliIo): ConnectorConfig {
  const location = storeOverride(value, io);
  if (!location) return config;
  return { ...config, store: location.kind === 'postgres' ? { ...config.store, url: location.url } : { path: location.path } };
}

/**
 * The store alone: enough for status and dead letters, without the connector's secrets. \`where\` names it for
 * people. Only an existing store opens (reading a new empty one would report a healthy, empty queue), and any
 * problem is one line naming the path.
 */
export async function storeFrom(values: { config?: string; store?: string }, io: CliIo): Promise<{ store: Store; where: string }> {
  let location: StoreLocation;
  try {
    const given = storeOverride(values.store, io);
    if (given) location = given;
    else {
      location = resolveStoreLocation({ configFile: resolveFile(values.config, io) });
      if (location.kind === 'sqlite') location = { kind: 'sqlite', path: path.resolve(io.cwd, location.path) };
    }
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  try {
    return { store: await openStoreAt(location, { mustExist: true }), where: describeStoreLocation(location) };
  } catch (error) {
    if (error instanceof StoreOpenError) throw new CommandError(error.message);
    throw error;
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

export const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : new Date(ms).toISOString());

/** The same instant for JSON: ISO 8601 text, or null. */
export const isoOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** A work item for JSON output, its times as ISO text like the text output. */
export function itemJson(item: WorkItem): Record<string, unknown> {
  return {
    ...item,
    nextAttemptAt: isoOrNull(item.nextAttemptAt),
    leaseUntil: isoOrNull(item.leaseUntil),
    eventAt: isoOrNull(item.eventAt),
    createdAt: isoOrNull(item.createdAt),
    updatedAt: isoOrNull(item.updatedAt),
    completedAt: isoOrNull(item.completedAt),
    lastError: item.lastError ? { ...item.lastError, at: isoOrNull(item.lastError.at) } : null,
  };
}
