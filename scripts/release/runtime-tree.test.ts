/**
 * The container's runtime stage without Docker: dist/ compiled as the build stage compiles it (tsc with
 * tsconfig.build.json), package.json beside it, and the image's ENV. Checks that dist/ needs only production
 * dependencies (the image installs `npm ci --omit=dev`), then runs the image's start command, waits for the
 * image's HEALTHCHECK script to pass, runs `status` as `docker exec` would, and stops it with SIGTERM as
 * `docker stop` does: exit 0, and stdout holds only JSON log lines, none carrying the secret it was given.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../lib/paths.js';
import { envOf, execForm, parseDockerfile } from './container-files.js';

const runtime = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).at(-1)!;
const command = [...execForm(runtime.instructions.find((i) => i.op === 'ENTRYPOINT')!.rest), ...execForm(runtime.instructions.find((i) => i.op === 'CMD')!.rest)];
const healthcheck = execForm(runtime.instructions.find((i) => i.op === 'HEALTHCHECK')!.rest.replace(/^CMD\s+/, ''));

/** Specifiers a compiled module imports: import/export ... from and import(), read by TypeScript's parser. */
function importsOf(file: string): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS));
  return specifiers;
}

/** Packages the modules reachable from an entry point load (dynamic imports included), and those modules. */
function reachablePackages(entry: string): { packages: Set<string>; modules: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (modules.has(file)) continue;
    modules.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier));
      else if (!isBuiltin(specifier)) packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
    }
  }
  return { packages, modules };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('the runtime image tree (no Docker)', { timeout: 300_000 }, () => {
  const work = mkdtempSync(path.join(tmpdir(), 'cosell-image-'));
  const app = path.join(work, 'app');
  const data = path.join(work, 'data');
  const secret = randomBytes(24).toString('base64url');
  let env: NodeJS.ProcessEnv;
  let connector: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';

  before(async () => {
    mkdirSync(path.join(app, 'deploy'), { recursive: true });
    mkdirSync(data);
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(app, 'dist')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240_000,
    });
    assert.equal(tsc.status, 0, `npm run build:connector would fail the image build:\n${tsc.stdout}${tsc.stderr}`);
    copyFileSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
    copyFileSync(path.join(ROOT, 'deploy/healthcheck.mjs'), path.join(app, 'deploy/healthcheck.mjs'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir');
    env = {
      PATH: process.env.PATH,
      HOME: work,
      ...Object.fromEntries(envOf(runtime)),
      // Where this machine differs from the container: loopback, a free port, a scratch data directory.
      COSELL_HOST: '127.0.0.1',
      COSELL_PORT: String(await freePort()),
      COSELL_STORE_PATH: path.join(data, 'cosell.sqlite'),
      COSELL_PC_TOKEN_CACHE_FILE: path.join(data, 'partner-center-token.json'),
      // The emulators instead of a real org and tenant; the rest of the start-up is the production path.
      COSELL_MODE: 'sandbox',
      COSELL_SYNC_REQUEST_SECRET: secret,
    };
  });

  after(() => {
    if (connector && connector.exitCode === null) connector.kill('SIGKILL');
  });

  it('what the start command can load needs only production dependencies', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const { packages, modules } = reachablePackages(path.join(app, command[1]));
    assert.ok(packages.has('fastify') && [...modules].some((m) => m.includes(`${path.sep}sandbox${path.sep}`)), 'the scan follows static and dynamic imports');
    for (const name of packages) assert.ok(name in manifest.dependencies, `dist/ loads ${name}, which is not in "dependencies" (the image omits devDependencies)`);
  });

  it('starts with the image command and passes the image healthcheck', async () => {
    assert.equal(command[0], 'node');
    connector = spawn(process.execPath, command.slice(1), { cwd: app, env });
    connector.stdout!.on('data', (d: Buffer) => (stdout += d));
    connector.stderr!.on('data', (d: Buffer) => (stderr += d));
    const deadline = Date.now() + 60_000;
    let last = '';
    for (;;) {
      assert.equal(connector.exitCode, null, `the connector exited early:\n${stderr}`);
      const check = spawnSync(process.execPath, healthcheck.slice(1), { cwd: app, env, encoding: 'utf8', timeout: 10_000 });
      if (check.status === 0) break;
      last = check.stderr;
      assert.ok(Date.now() < deadline, `healthcheck still failing after 60 s: ${last}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  it('answers `status` through the same entry point, as `docker exec` would', () => {
    const status = spawnSync(process.execPath, [command[1], 'status', '--json'], { cwd: app, env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(status.status, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { store: string }).store, env.COSELL_STORE_PATH);
  });

  it('stops on SIGTERM with exit 0, having logged only JSON lines and never the secret', async () => {
    assert.ok(connector, 'started by the previous test');
    connector.kill('SIGTERM');
    const code = await Promise.race([exitOf(connector), new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 30_000))]);
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n').filter(Boolean);
    assert.ok(lines.length > 0);
    for (const line of lines) {
      const entry = JSON.parse(line) as { level?: unknown; time?: unknown; msg?: unknown };
      assert.equal(typeof entry.level, 'string', line);
      assert.ok(typeof entry.time === 'string' && !Number.isNaN(Date.parse(entry.time)), line);
      assert.equal(typeof entry.msg, 'string', line);
    }
    assert.ok(lines.some((l) => l.includes('"msg":"shutting down"')));
    assert.ok(!stdout.includes(secret) && !stderr.includes(secret), 'the secret never reaches the logs');
    assert.doesNotMatch(stderr, /ExperimentalWarning/, 'NODE_OPTIONS from the image silences the node:sqlite warning');
  });
});
