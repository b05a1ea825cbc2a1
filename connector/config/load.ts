/**
 * Resolves the connector's configuration: defaults ← JSON config file ← environment (env wins) ← programmatic
 * overrides. Every problem stops start-up with a ConfigError naming the setting and how to set it; secrets are
 * accepted only from the environment or from files outside the repository, and never appear in a message.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { postgresUrlProblem, type StoreLocation } from '../store/open.js';
import { configSchema } from './schema.js';
import { SETTINGS, SETTINGS_BY_PATH, howToSet, type Setting } from './connector-settings.js';
import { DEFAULTS, type ConnectorConfig, type PartnerCenterConfig } from './types.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface LoadConfigOptions {
  /** JSON config file (`cosell start --config file`). */
  configFile?: string;
  env?: Record<string, string | undefined>;
  /** Applied last, for tests and the sandbox wiring. */
  overrides?: DeepPartial<ConnectorConfig>;
  /** The checkout secrets must stay out of; found from this module's location by default. */
  repositoryRoot?: string | null;
}

export type Tree = Record<string, unknown>;

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv, ['uri']);
const validate = ajv.compile<ConnectorConfig>(configSchema);
const validatePartnerCenter = ajv.compile<PartnerCenterConfig>(configSchema.properties.partnerCenter);

/** The repository this code runs from (source or dist), by its package name. */
export function findRepositoryRoot(from = path.dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'partner-center-cosell') return dir;
      } catch {
        // An unreadable manifest is not ours; keep looking upwards.
      }
    }
    if (path.dirname(dir) === dir) return null;
  }
}

function getPath(tree: Tree, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Tree)[key] : undefined), tree);
}

function setPath(tree: Tree, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Tree;
  node[keys.at(-1)!] = value;
}

/** Deep merge of plain objects; arrays and scalars in `over` replace, undefined leaves `base` as it is. */
export function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? merge(current as Tree, value as Tree)
        : value;
  }
  return out;
}

/** Leaf paths of a parsed config file (arrays are leaves). */
function leaves(tree: Tree, prefix = ''): [string, unknown][] {
  return Object.entries(tree).flatMap(([key, value]): [string, unknown][] => {
    const dotted = prefix ? `${prefix}.${key}` : key;
    return value && typeof value === 'object' && !Array.isArray(value) ? leaves(value as Tree, dotted) : [[dotted, value]];
  });
}

/** Environment values are text: turn them into the setting's type or say what was expected. */
function fromEnv(setting: Setting, raw: string): unknown {
  switch (setting.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${setting.env} must be a whole number (${setting.description}); got "${raw}".`);
      return Number(raw.trim());
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      throw new ConfigError(`${setting.env} must be true or false (${setting.description}); got "${raw}".`);
    }
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return raw.trim();
  }
}

function insideDirectory(file: string, directory: string): boolean {
  return file === directory || file.startsWith(directory + path.sep);
}

function readSecretFile(setting: Setting, file: string, source: string, repositoryRoot: string | null): string {
  let real: string;
  try {
    real = realpathSync(path.resolve(file));
  } catch {
    throw new ConfigError(`${source} names ${file}, which cannot be read; ${howToSet(setting)}.`);
  }
  if (repositoryRoot) {
    const root = realpathSync(repositoryRoot);
    if (insideDirectory(real, root)) {
      throw new ConfigError(
        `${source} names ${file}, which is inside the repository (${root}); secrets must never be kept in the checkout. ` +
          `Move the file outside it (e.g. /etc/cosell/ or ~/.config/cosell/) and point ${source} at it.`,
      );
    }
  }
  const value = readFileSync(real, 'utf8').replace(/\r?\n$/, '');
  if (value.trim() === '') throw new ConfigError(`${source} names ${file}, which is empty; ${howToSet(setting)}.`);
  return value;
}

export function readConfigFile(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Config file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the --config path.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(error as Error).message}.`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`Config file ${file} must hold a JSON object.`);
  return parsed as Tree;
}

/** `prefix`: the setting path of the object that was validated, when it is not the whole configuration. */
/** A store URL written in a config file must not carry its password (secrets never live in the file). */
function storeUrlPasswordProblem(url: unknown, fileName: string): string[] {
  if (typeof url !== 'string') return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  if (!parsed.password && !parsed.searchParams.has('password')) return [];
  return [
    `"store.url" in ${fileName} contains a password, and secrets must not be written in the config file: remove it from the URL ` +
      `and set PGPASSWORD, or give the whole URL in COSELL_STORE_URL.`,
  ];
}

function storeUrlProblems(url: string | undefined): string[] {
  const problem = url ? postgresUrlProblem(url) : null;
  return problem ? [`Setting "store.url" ${problem}; ${howToSet(SETTINGS_BY_PATH.get('store.url')!)}.`] : [];
}

function describeAjvError(error: ErrorObject, prefix = ''): string {
  const dotted = [prefix, error.instancePath.slice(1).replaceAll('/', '.')].filter(Boolean).join('.');
  const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined;
  const settingPath = missing ? (dotted ? `${dotted}.${missing}` : missing) : dotted;
  const setting = SETTINGS_BY_PATH.get(settingPath);
  const how = setting ? `; ${howToSet(setting)} (${setting.description})` : '';
  if (missing) return `Setting "${settingPath}" is missing${how}.`;
  return `Setting "${settingPath}" ${error.message ?? 'is invalid'}${how}.`;
}

/** The settings among `paths` that are unset, each with why it is needed and how to set it. */
function unset(tree: Tree, paths: string[], why: string): { path: string; message: string }[] {
  return paths
    .filter((p) => {
      const value = getPath(tree, p);
      return value === undefined || value === '';
    })
    .map((p) => ({ path: p, message: `Setting "${p}" is missing (${why}); ${howToSet(SETTINGS_BY_PATH.get(p)!)}.` }));
}

/** The Partner Center settings the admin's sign-in needs (the refresh token is what the sign-in produces). */
const PARTNER_CENTER_SIGN_IN = ['partnerCenter.tenantId', 'partnerCenter.clientId', 'partnerCenter.clientSecret', 'partnerCenter.tokenCacheFile'];

/** Settings each mode and login kind needs. Presence only, so it runs on any input, beside schema validation. */
function missingSettings(tree: Tree): { path: string; message: string }[] {
  if (tree.mode === 'sandbox') return [];
  const needs: [string[], string][] = [[['syncRequestSecret'], 'Salesforce authenticates its sync requests with it']];
  const auth = getPath(tree, 'salesforce.auth');
  if (auth === 'jwt') needs.push([['salesforce.clientId', 'salesforce.username', 'salesforce.privateKey'], 'JWT bearer login']);
  else if (auth === 'sf-cli') needs.push([['salesforce.orgAlias'], 'Salesforce CLI login']);
  else needs.push([['salesforce.clientId', 'salesforce.clientSecret'], 'client-credentials login']);
  needs.push([PARTNER_CENTER_SIGN_IN, 'Partner Center App+User access']);
  return needs.flatMap(([paths, why]) => unset(tree, paths, why));
}

function tokenCacheInsideRepository(cache: string | undefined, repositoryRoot: string | null): string[] {
  const root = repositoryRoot ? realpathSync(repositoryRoot) : null;
  if (!cache || !root || !insideDirectory(path.resolve(cache), root)) return [];
  return [
    `Setting "partnerCenter.tokenCacheFile" is ${cache}, inside the repository; it holds the Partner Center sign-in, so keep it outside ` +
      `the checkout (e.g. /var/lib/cosell/partner-center-token.json); ${howToSet(SETTINGS_BY_PATH.get('partnerCenter.tokenCacheFile')!)}.`,
  ];
}

/** Checks that need a schema-valid configuration. */
function semanticChecks(config: ConnectorConfig, repositoryRoot: string | null): string[] {
  const problems: string[] = storeUrlProblems(config.store.url);
  if (config.mode === 'sandbox') return problems;
  const sf = config.salesforce;
  const host = new URL(sf.loginUrl).hostname;
  if (sf.auth === 'client-credentials' && (host === 'login.salesforce.com' || host === 'test.salesforce.com')) {
    problems.push(
      `Setting "salesforce.loginUrl" is ${sf.loginUrl}, but the client-credentials flow only works on your My Domain URL ` +
        `(e.g. https://yourcompany.my.salesforce.com); ${howToSet(SETTINGS_BY_PATH.get('salesforce.loginUrl')!)}.`,
    );
  }
  problems.push(...tokenCacheInsideRepository(config.partnerCenter.tokenCacheFile, repositoryRoot));
  if (config.http.publicUrl && new URL(config.http.publicUrl).protocol !== 'https:') {
    problems.push(`Setting "http.publicUrl" must be an https URL (Partner Center only calls https webhooks); ${howToSet(SETTINGS_BY_PATH.get('http.publicUrl')!)}.`);
  }
  return problems;
}

/** Defaults ← config file ← environment ← overrides, with secrets read from where they may come from. */
function resolveSettings(options: LoadConfigOptions, repositoryRoot: string | null): Tree {
  const env = options.env ?? process.env;
  const file = options.configFile ? readConfigFile(options.configFile) : {};
  const fileName = options.configFile ?? '';

  const problems: string[] = [];
  const secretFiles = new Map<string, string>();
  for (const [dotted] of leaves(file)) {
    const setting = SETTINGS_BY_PATH.get(dotted);
    const fileSecret = dotted.endsWith('File') ? SETTINGS_BY_PATH.get(dotted.slice(0, -'File'.length)) : undefined;
    if (setting?.secret) {
      problems.push(`"${dotted}" is a secret and must not be written in ${fileName}: remove it and ${howToSet(setting)}.`);
    } else if (fileSecret?.secret) {
      const value = getPath(file, dotted);
      if (typeof value === 'string') secretFiles.set(fileSecret.path, value);
      else problems.push(`"${dotted}" in ${fileName} must be a file path.`);
    } else if (!setting) {
      problems.push(`"${dotted}" in ${fileName} is not a connector setting; known settings: ${SETTINGS.filter((s) => !s.secret).map((s) => s.path).join(', ')}.`);
    }
  }
  problems.push(...storeUrlPasswordProblem(getPath(file, 'store.url'), fileName));

  const values: Tree = {};
  for (const setting of SETTINGS) {
    try {
      const raw = env[setting.env];
      const fileRef = env[`${setting.env}_FILE`];
      if (setting.secret) {
        if (raw !== undefined && raw !== '') setPath(values, setting.path, raw);
        else if (fileRef) setPath(values, setting.path, readSecretFile(setting, fileRef, `${setting.env}_FILE`, repositoryRoot));
        else if (secretFiles.has(setting.path)) {
          setPath(values, setting.path, readSecretFile(setting, secretFiles.get(setting.path)!, `"${setting.path}File" in ${fileName}`, repositoryRoot));
        }
      } else if (raw !== undefined && raw !== '') {
        setPath(values, setting.path, fromEnv(setting, raw));
      } else {
        const fromFile = getPath(file, setting.path);
        if (fromFile !== undefined) setPath(values, setting.path, fromFile);
      }
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length) throw new ConfigError(problems.join('\n'));

  return merge(merge(DEFAULTS as unknown as Tree, values), (options.overrides ?? {}) as Tree);
}

export function loadConfig(options: LoadConfigOptions = {}): ConnectorConfig {
  const repositoryRoot = options.repositoryRoot === undefined ? findRepositoryRoot() : options.repositoryRoot;
  const merged = resolveSettings(options, repositoryRoot);
  if (merged.mode === 'sandbox' && !merged.syncRequestSecret) {
    // The sandbox wires its local org with this secret; a fresh one per run keeps nothing to leak.
    merged.syncRequestSecret = randomBytes(24).toString('base64url');
  }
  // Every problem at once: an admin fixes the whole configuration in one go, not one message per start.
  const missing = missingSettings(merged);
  const reported = new Set(missing.map((m) => m.path));
  const schemaProblems = validate(merged)
    ? []
    : (validate.errors ?? [])
        .filter((e) => !(e.keyword === 'required' && reported.has([e.instancePath.slice(1).replaceAll('/', '.'), (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join('.'))))
        .map((e) => describeAjvError(e));
  const structural = [...missing.map((m) => m.message), ...schemaProblems];
  if (structural.length) throw new ConfigError(structural.join('\n'));
  const config = merged as unknown as ConnectorConfig;
  const semantic = semanticChecks(config, repositoryRoot);
  if (semantic.length) throw new ConfigError(semantic.join('\n'));
  return config;
}

/**
 * Only the Partner Center settings, checked for what the admin's one-time sign-in (`cosell partner-center login`)
 * needs: it runs before the rest of the connector is configured, so Salesforce settings are not asked for.
 */
export function loadPartnerCenterConfig(options: Omit<LoadConfigOptions, 'overrides'> = {}): PartnerCenterConfig {
  const repositoryRoot = options.repositoryRoot === undefined ? findRepositoryRoot() : options.repositoryRoot;
  const merged = resolveSettings(options, repositoryRoot);
  const missing = unset(merged, PARTNER_CENTER_SIGN_IN, 'the Partner Center sign-in');
  const partnerCenter = merged.partnerCenter as Tree;
  const schemaProblems = validatePartnerCenter(partnerCenter) ? [] : (validatePartnerCenter.errors ?? []).map((e) => describeAjvError(e, 'partnerCenter'));
  const structural = [...missing.map((m) => m.message), ...schemaProblems];
  if (structural.length) throw new ConfigError(structural.join('\n'));
  const config = partnerCenter as unknown as PartnerCenterConfig;
  const semantic = tokenCacheInsideRepository(config.tokenCacheFile, repositoryRoot);
  if (semantic.length) throw new ConfigError(semantic.join('\n'));
  return config;
}

/**
 * The values of every secret setting that is set, and the Postgres password (inside the store URL, or libpq's
 * PGPASSWORD): what the logger scrubs from its lines.
 */
export function secretValues(config: ConnectorConfig, env: Record<string, string | undefined> = process.env): string[] {
  const values = SETTINGS.filter((s) => s.secret).map((s) => getPath(config as unknown as Tree, s.path));
  let urlPassword: string | undefined;
  try {
    urlPassword = config.store.url ? decodeURIComponent(new URL(config.store.url).password) : undefined;
  } catch {
    // An unparseable URL was refused by the loader already; nothing to scrub.
  }
  return [...values, urlPassword, env.PGPASSWORD].filter((value): value is string => typeof value === 'string' && value !== '');
}

/**
 * Only where the store is, for commands that just read or requeue work (`status`, `dead-letters`): an admin
 * can run them without the connector's secrets in the environment.
 */
export function resolveStorePath(options: { configFile?: string; env?: Record<string, string | undefined> } = {}): string {
  const env = options.env ?? process.env;
  if (env.COSELL_STORE_PATH) return env.COSELL_STORE_PATH;
  const fromFile = options.configFile ? getPath(readConfigFile(options.configFile), 'store.path') : undefined;
  if (fromFile !== undefined && (typeof fromFile !== 'string' || fromFile === '')) {
    throw new ConfigError(`"store.path" in ${options.configFile} must be a file path.`);
  }
  return (fromFile as string | undefined) ?? DEFAULTS.store.path;
}

/** Like `resolveStorePath`, for any backend: Postgres when `store.url` (COSELL_STORE_URL) is set, else the SQLite file. */
export function resolveStoreLocation(options: { configFile?: string; env?: Record<string, string | undefined> } = {}): StoreLocation {
  const env = options.env ?? process.env;
  const fromFile = options.configFile && !env.COSELL_STORE_URL ? getPath(readConfigFile(options.configFile), 'store.url') : undefined;
  if (fromFile !== undefined && (typeof fromFile !== 'string' || fromFile === '')) {
    throw new ConfigError(`"store.url" in ${options.configFile} must be a postgres:// URL.`);
  }
  const problems = fromFile === undefined ? [] : storeUrlPasswordProblem(fromFile, options.configFile!);
  const url = env.COSELL_STORE_URL || (fromFile as string | undefined);
  problems.push(...storeUrlProblems(url));
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return url ? { kind: 'postgres', url } : { kind: 'sqlite', path: resolveStorePath(options) };
}
