/** What the connector's commands share: reading the configuration and opening the store, with clear errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import path from 'node:path';
import { ConfigError, loadConfig, resolveStorePath } from '../../config/load.js';
import type { ConnectorConfig } from '../../config/types.js';
import type { SqliteStore } from '../../store/sqlite-store.js';
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
 * node:sqlite (and the service) load only when a command needs them, so \`cosell --help\` and \`cosell map\` stay
 * free of SQLite's start-up warning and load time.
 */
export async function openStore(file: string, options: Omit<ConstructorParameters<typeof SqliteStore>[0], 'path'> = {}): Promise<SqliteStore> {
  const { SqliteStore } = await import('../../store/sqlite-store.js');
  return new SqliteStore({ path: file, ...options });
}

/** The store alone: enough for status and dead letters, without the connector's secrets. */
export async function storeFrom(values: { config?: string; store?: string }, io: CliIo): Promise<SqliteStore> {
  let file: string;
  try {
    file = values.store ? path.resolve(io.cwd, values.store) : path.resolve(io.cwd, resolveStorePath({ configFile: resolveFile(values.config, io) }));
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  return openStore(file);
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

export const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : new Date(ms).toISOString());
