/**
 * The container's runtime stage without Docker: dist/ compiled as the build stage compiles it (tsc with
 * tsconfig.build.json), package.json beside it, and the image's ENV. Checks that dist/ needs only production
 * dependencies (the image installs `npm ci --omit=dev`), then runs the image's start command, waits for the
 * image's HEALTHCHECK script to pass, runs `status` as `docker exec` would, and stops it with SIGTERM as
 * `docker stop` does: exit 0, and stdout holds only JSON log lines, none carrying the secrets it was given.
 * dist/ is the connector alone: no sandbox stand-in and no test code is compiled into it, so the image runs in
 * live mode, against the local org this test starts (as it would against a real org) and with no sweeps, so it
 * never calls Microsoft.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { startLocalOrg, type LocalOrg } from '../../sandbox/org/index.js';
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

/** Every file under a directory, relative to it. */
function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))],
  );
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
  const pcSecret = randomBytes(24).toString('base64url');
  let org: LocalOrg | undefined;
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
    org = await startLocalOrg();
    env = {
      PATH: process.env.PATH,
      HOME: work,
      ...Object.fromEntries(envOf(runtime)),
      // Where this machine differs from the container: loopback, a free port, a scratch data directory.
      COSELL_HOST: '127.0.0.1',
      COSELL_PORT: String(await freePort()),
      COSELL_STORE_PATH: path.join(data, 'cosell.sqlite'),
      COSELL_PC_TOKEN_CACHE_FILE: path.join(data, 'partner-center-token.json'),
      // A live configuration: the local org instead of a real one; Partner Center is configured but never called
      // (no sweeps, no work), so the start-up is the production path and nothing leaves the machine.
      COSELL_MODE: 'live',
      COSELL_SYNC_REQUEST_SECRET: secret,
      COSELL_SF_LOGIN_URL: org.loginUrl,
      COSELL_SF_CLIENT_ID: org.integrationCredentials.clientId,
      COSELL_SF_CLIENT_SECRET: org.integrationCredentials.clientSecret,
      COSELL_PC_TENANT_ID: '00000000-0000-4000-8000-00000000c05e',
      COSELL_PC_CLIENT_ID: 'cosell-runtime-tree',
      COSELL_PC_CLIENT_SECRET: pcSecret,
      COSELL_SWEEPS_ENABLED: 'false',
    };
  });

  after(async () => {
    if (connector && connector.exitCode === null) connector.kill('SIGKILL');
    await org?.close();
  });

  it('holds the connector alone: no sandbox stand-in, no test, no test fixture', () => {
    const files = filesUnder(path.join(app, 'dist'));
    assert.ok(files.some((f) => f === path.join('connector', 'cli', 'index.js')));
    for (const file of files) {
      assert.ok(file.startsWith(`connector${path.sep}`), `dist/${file} is not connector code`);
      assert.doesNotMatch(file, /\.test\.js|[\\/]fixtures[\\/]/, `dist/${file} is test code`);
      if (file.endsWith('.js')) {
        const specifiers = importsOf(path.join(app, 'dist', file));
        assert.ok(!specifiers.some((s) => /^node:(test|assert)/.test(s)), `dist/${file} imports the test runner`);
      }
    }
  });

  it('what the start command can load needs only production dependencies', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const { packages, modules } = reachablePackages(path.join(app, command[1]));
    // The start command loads the service with import() (connector/cli/commands/start.ts).
    assert.ok(packages.has('fastify') && [...modules].some((m) => m.endsWith(`${path.sep}service.js`)), 'the scan follows static and dynamic imports');
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
    const sfSecret = env.COSELL_SF_CLIENT_SECRET!;
    for (const other of [sfSecret, pcSecret]) assert.ok(!stdout.includes(other) && !stderr.includes(other), 'no other secret reaches the logs');
    assert.doesNotMatch(stderr, /ExperimentalWarning/, 'NODE_OPTIONS from the image silences the node:sqlite warning');
  });
});
