/**
 * Bundles one of the package's Lightning Web Components for the browser preview with the open-source LWC engine
 * and compiler (`lwc`, `@lwc/rollup-plugin`), the real Lightning base components (`lightning-base-components`) and
 * the preview's stand-ins for what only the platform provides (Lightning Data Service, GraphQL, empApi, toasts,
 * custom labels, schema references, the running user).
 *
 * The components' TypeScript goes through the same transpile as `npm run build:lwc` (scripts/build/lwc.ts), in
 * memory, so what renders is what the platform gets, and a stale or missing build cannot mislead the preview.
 * Imports the platform would reject fail the bundle: Apex methods, labels the package does not define, modules
 * that exist nowhere.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import lwc from '@lwc/rollup-plugin';
import { rollup, type OutputChunk, type Plugin, type RollupCache, type RollupLog } from 'rollup';
import { CLIENT_DIR, LWC_DIR, REPO_ROOT } from './paths.js';

export { CLIENT_DIR } from './paths.js';

type Transpile = (source: string, filename: string) => Promise<string>;

let projectTranspile: Promise<Transpile> | undefined;

/**
 * The project's own TypeScript → platform JavaScript step (`transpileLwcSource` of scripts/build/lwc.ts, what
 * `npm run build:lwc` writes), loaded from the repository at run time.
 */
export function loadProjectTranspile(): Promise<Transpile> {
  projectTranspile ??= (async () => {
    const file = path.join(REPO_ROOT, 'scripts', 'build', 'lwc.ts');
    if (!existsSync(file)) throw new Error(`the preview runs from the repository with tsx: ${file} not found`);
    const module = (await import(pathToFileURL(file).href)) as { transpileLwcSource?: Transpile };
    if (typeof module.transpileLwcSource !== 'function') throw new Error(`${file} does not export transpileLwcSource`);
    return module.transpileLwcSource;
  })();
  return projectTranspile;
}

/** Platform modules the preview provides, and the file implementing each. */
export const PLATFORM_STAND_INS: Record<string, string> = {
  'lightning/uiRecordApi': 'uiRecordApi.js',
  'lightning/uiObjectInfoApi': 'uiObjectInfoApi.js',
  'lightning/uiRelatedListApi': 'uiRelatedListApi.js',
  'lightning/graphql': 'graphql.js',
  'lightning/uiGraphQLApi': 'graphql.js',
  'lightning/empApi': 'empApi.js',
  'lightning/platformShowToastEvent': 'platformShowToastEvent.js',
  'lightning/flow': 'flow.js',
  'lightning/navigation': 'navigation.js',
  '@salesforce/apex': 'apex.js',
};

const require = createRequire(import.meta.url);
/** The engine matching the compiler `@lwc/rollup-plugin` uses: the `lwc` package's own dependencies. */
function lwcEnginePaths(): Record<string, string> {
  const fromLwc = createRequire(require.resolve('lwc'));
  const entry = (pkg: string) => {
    const dir = path.dirname(fromLwc.resolve(`${pkg}/package.json`));
    return path.join(dir, 'dist', 'index.js');
  };
  return {
    lwc: entry('@lwc/engine-dom'),
    '@lwc/engine-dom': entry('@lwc/engine-dom'),
    '@lwc/synthetic-shadow': entry('@lwc/synthetic-shadow'),
    '@lwc/wire-service': entry('@lwc/wire-service'),
  };
}

export class BundleError extends Error {}

/** `partnerCenterCard` → `c-partner-center-card`. */
export function tagNameOf(component: string, namespace = 'c'): string {
  return `${namespace}-${component.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Component bundles that can be previewed: folders with a template (service modules such as utils have none) that
 * the package exposes to Lightning pages (`<isExposed>true</isExposed>`; a bundle without a meta file, such as a
 * test fixture, counts as exposed). Child components render inside their parents.
 */
export function previewableComponents(dirs: string[] = [LWC_DIR]): string[] {
  const names = new Set<string>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !existsSync(path.join(dir, entry.name, `${entry.name}.html`))) continue;
      const meta = path.join(dir, entry.name, `${entry.name}.js-meta.xml`);
      if (existsSync(meta) && !/<isExposed>\s*true\s*<\/isExposed>/.test(readFileSync(meta, 'utf8'))) continue;
      names.add(entry.name);
    }
  }
  return [...names].sort();
}

export interface BundleOptions {
  /** Component folder names, e.g. `partnerCenterCard`: one entry each, sharing chunks (engine, base components). */
  components: string[];
  /** Custom label names the package defines (`@salesforce/label/c.<name>` must be one of them). */
  labelNames: ReadonlySet<string>;
  /** Folders holding `c/*` bundles, searched in order (default: the package's lwc folder). */
  componentDirs?: string[];
}

export interface Bundle {
  /**
   * The output files by name: `<component>.js` per entry, and the chunks they share or load on demand
   * (`chunks/*.js`, imported relatively, so the files must be served side by side).
   */
  files: Map<string, string>;
  /** Per component: every `@salesforce/label/c.*` its entry loads, statically or on demand. */
  labels: Record<string, string[]>;
  warnings: string[];
}

const LWC_OPTIONS = {
  modules: [{ npm: 'lightning-base-components' }],
  defaultModules: [],
  enableDynamicComponents: true,
  // The base components use ElementInternals (e.g. lightning-combobox); under synthetic shadow, as on the platform,
  // the engine provides them only to components compiled with this flag.
  enableSyntheticElementInternals: true,
};

/*
 * Compile cache. Most of a build's time goes into compiling the base components, above all the icon template
 * libraries (about 3,500 templates). Rollup's cache skips modules whose source did not change: kept in memory for
 * every build in this process, and, for modules from node_modules only, on disk under node_modules/.cache, in a
 * file named after the versions of the compiler, the engine, the base components and the plugin options, so a
 * later run starts warm. The project's own modules are never persisted: their transform depends on
 * scripts/build/lwc.ts as well as on their source. Reading or writing the file is best effort (it is only a cache).
 */
const CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'cosell-preview');
let memoryCache: RollupCache | undefined;
let persistedModules = -1;

/** `name@version` of the package `specifier` resolves to from `fromFile`. */
function packageVersion(specifier: string, fromFile = import.meta.filename): string {
  const from = createRequire(fromFile);
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
  try {
    const json = read(from.resolve(`${specifier}/package.json`));
    return `${json.name}@${json.version}`;
  } catch {
    // Not exported (e.g. `lwc`): walk up from the entry point to its package.json.
  }
  for (let dir = path.dirname(from.resolve(specifier)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    const json = existsSync(file) ? read(file) : {};
    if (json.name === specifier) return `${json.name}@${json.version}`;
  }
  throw new Error(`no package.json for ${specifier}`);
}

function persistentCacheFile(): string {
  const plugin = require.resolve('@lwc/rollup-plugin');
  const versions = [
    packageVersion('rollup'),
    packageVersion('@lwc/rollup-plugin'),
    packageVersion('@lwc/compiler', plugin),
    packageVersion('lwc'),
    packageVersion('lightning-base-components'),
  ];
  const key = createHash('sha256').update(JSON.stringify({ versions, LWC_OPTIONS, engine: lwcEnginePaths() })).digest('hex').slice(0, 16);
  return path.join(CACHE_DIR, `rollup-${key}.json`);
}

function compileCache(): RollupCache | undefined {
  if (memoryCache) return memoryCache;
  try {
    memoryCache = JSON.parse(readFileSync(persistentCacheFile(), 'utf8')) as RollupCache;
    persistedModules = memoryCache.modules?.length ?? 0;
  } catch {
    memoryCache = undefined;
  }
  return memoryCache;
}

/** Keeps what a build compiled, together with what earlier builds compiled that this one did not need. */
function keepCompileCache(cache: RollupCache): void {
  const byId = new Map((memoryCache?.modules ?? []).map((m) => [m.id, m]));
  for (const m of cache.modules ?? []) byId.set(m.id, m);
  memoryCache = { ...cache, modules: [...byId.values()] };
  const modules = memoryCache.modules!.filter((m) => m.id.includes(`${path.sep}node_modules${path.sep}`));
  if (modules.length <= persistedModules) return;
  try {
    const file = persistentCacheFile();
    mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ modules }));
    renameSync(temporary, file);
    persistedModules = modules.length;
  } catch {
    // A read-only or full disk only costs the next run the compile time.
  }
}

const VIRTUAL = '\0preview:';
const ENTRY = `${VIRTUAL}entry:`;
const LABEL = `${VIRTUAL}@salesforce/label/c.`;

function findComponent(name: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    for (const ext of ['.ts', '.js']) {
      const file = path.join(dir, name, `${name}${ext}`);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

const json = JSON.stringify;

/** Resolves the platform's modules and generates the scoped `@salesforce/*` imports. */
function platformPlugin(options: BundleOptions, dirs: string[], transpile: Transpile): Plugin {
  const engine = lwcEnginePaths();
  const inComponentDirs = (id: string) => dirs.some((dir) => id.startsWith(dir + path.sep));
  return {
    name: 'cosell-preview-platform',
    resolveId(source) {
      if (source.startsWith(ENTRY)) return source;
      if (engine[source]) return engine[source];
      const standIn = PLATFORM_STAND_INS[source];
      if (standIn) return path.join(CLIENT_DIR, standIn);
      if (source.startsWith('preview/')) return path.join(CLIENT_DIR, `${source.slice('preview/'.length)}.js`);
      if (source.startsWith('c/')) {
        const name = source.slice(2);
        const file = findComponent(name, dirs);
        if (!file) throw new BundleError(`${source}: no such component in ${dirs.join(', ')}`);
        return `${file}?specifier=${encodeURIComponent(source)}`;
      }
      if (source.startsWith('@salesforce/apex/')) {
        throw new BundleError(`${source}: Apex methods are not available (the package contains no Apex)`);
      }
      if (
        source.startsWith('@salesforce/label/c.') ||
        source.startsWith('@salesforce/schema/') ||
        source.startsWith('@salesforce/customPermission/') ||
        source.startsWith('@salesforce/user/')
      ) {
        return VIRTUAL + source;
      }
      return null;
    },
    load(id) {
      if (id.startsWith(ENTRY)) {
        const component = id.slice(ENTRY.length);
        return [
          // Synthetic shadow first, as on the platform: the base components and SLDS rely on it.
          `import '@lwc/synthetic-shadow';`,
          `import { mountPreview } from 'preview/shell';`,
          `import Component from ${json(`c/${component}`)};`,
          `mountPreview(Component, ${json(tagNameOf(component))});`,
        ].join('\n');
      }
      if (!id.startsWith(VIRTUAL)) return null;
      const source = id.slice(VIRTUAL.length);
      if (source.startsWith('@salesforce/label/c.')) {
        const name = source.slice('@salesforce/label/c.'.length);
        if (!options.labelNames.has(name)) throw new BundleError(`${source}: the package defines no custom label ${name}`);
        return `import { label } from 'preview/context';\nexport default label(${json(name)});`;
      }
      if (source.startsWith('@salesforce/schema/')) {
        const ref = source.slice('@salesforce/schema/'.length);
        const dot = ref.indexOf('.');
        const value = dot < 0 ? { objectApiName: ref } : { objectApiName: ref.slice(0, dot), fieldApiName: ref.slice(dot + 1) };
        return `export default ${json(value)};`;
      }
      if (source.startsWith('@salesforce/customPermission/')) {
        const name = source.slice('@salesforce/customPermission/'.length);
        return `import { hasCustomPermission } from 'preview/context';\nexport default hasCustomPermission(${json(name)});`;
      }
      if (source.startsWith('@salesforce/user/')) {
        const property = source.slice('@salesforce/user/'.length);
        return `import { userProperty } from 'preview/context';\nexport default userProperty(${json(property)});`;
      }
      return null;
    },
    transform(code, id) {
      const [file] = id.split('?', 1);
      let out = code;
      // The components' TypeScript, transpiled exactly as `npm run build:lwc` does it.
      if (file.endsWith('.ts') && inComponentDirs(file)) return transpile(code, file).then(replaceEnv);
      out = replaceEnv(out);
      return out === code ? null : { code: out, map: null };
    },
  };
}

/** Build-time constants the LWC engine and the base components read (`import.meta.env.SSR`, `process.env.NODE_ENV`). */
function replaceEnv(code: string): string {
  return code.replace(/\bimport\.meta\.env\.SSR\b/g, 'false').replace(/\bprocess\.env\.NODE_ENV\b/g, '"development"');
}

/**
 * One build for the given components: an entry per component and shared chunks, so the engine and the base
 * components are compiled and linked once, and what a page loads only on demand (the icon template libraries of
 * `lightning-primitive-icon`, one per icon category) stays out of its entry.
 */
export async function bundleComponents(options: BundleOptions): Promise<Bundle> {
  const dirs = (options.componentDirs ?? [LWC_DIR]).map((dir) => path.resolve(dir));
  if (options.components.length === 0) throw new BundleError('no component to bundle');
  for (const component of options.components) {
    if (!findComponent(component, dirs)) throw new BundleError(`c/${component}: no such component`);
  }
  const warnings: string[] = [];
  const onLog = (level: string, log: RollupLog) => {
    if (level === 'warn') warnings.push(log.message);
  };
  const transpile = await loadProjectTranspile();
  const build = await rollup({
    input: Object.fromEntries(options.components.map((component) => [component, ENTRY + component])),
    cache: compileCache(),
    onLog,
    plugins: [
      platformPlugin(options, dirs, transpile),
      lwc({ rootDir: dirs[0], ...LWC_OPTIONS }),
    ],
  });
  try {
    const { output } = await build.generate({ format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' });
    const chunks = new Map(output.filter((o): o is OutputChunk => o.type === 'chunk').map((chunk) => [chunk.fileName, chunk]));
    const labels: Record<string, string[]> = {};
    for (const component of options.components) {
      const used = new Set<string>();
      const seen = new Set<string>();
      const visit = (fileName: string) => {
        const chunk = chunks.get(fileName);
        if (!chunk || seen.has(fileName)) return;
        seen.add(fileName);
        for (const id of chunk.moduleIds) if (id.startsWith(LABEL)) used.add(id.slice(LABEL.length));
        for (const next of [...chunk.imports, ...chunk.dynamicImports]) visit(next);
      };
      visit(`${component}.js`);
      labels[component] = [...used].sort();
    }
    if (build.cache) keepCompileCache(build.cache);
    return { files: new Map([...chunks].map(([name, chunk]) => [name, chunk.code])), labels, warnings };
  } finally {
    await build.close();
  }
}
