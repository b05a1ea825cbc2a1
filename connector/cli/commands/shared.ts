/** What the connector's commands share: reading the configuration and opening the store, with clear errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import path from 'node:path';
import { ConfigError, loadConfig, resolveStoreLocation } from '../../config/load.js';
import type { ConnectorConfig } from '../../config/types.js';
import { StoreOpenError, describeStoreLocation, openStore as openStoreAt, type OpenStoreOptions, type StoreLocation } from '../../store/open.js';
import type { Store } from '../../store/types.js';
import { UsageError, type CliIo } from '../command.js';

export const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const CONFIG_HELP = `  -c, --config <file>    JSON config file; environment variables (COSELL_*) override it
  -h, --help             show this help`;

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

/** The store alone: enough for status and dead letters, without the connector's secrets. `where` names it for people. */
export async function storeFrom(values: { config?: string; store?: string }, io: CliIo): Promise<{ store: Store; where: string }> {
  let location: StoreLocation;
  try {
    if (values.store && /^postgres(ql)?:\/\//.test(values.store)) location = { kind: 'postgres', url: values.store };
    else if (values.store) location = { kind: 'sqlite', path: path.resolve(io.cwd, values.store) };
    else {
      location = resolveStoreLocation({ configFile: resolveFile(values.config, io) });
      if (location.kind === 'sqlite') location = { kind: 'sqlite', path: path.resolve(io.cwd, location.path) };
    }
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  return { store: await openStore(location), where: describeStoreLocation(location) };
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

export const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : new Date(ms).toISOString());
