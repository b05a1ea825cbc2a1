/**
 * The container definition, the systemd unit and the env example, checked offline against the code they run:
 * what the Dockerfile copies exists and is in the build context, the settings they set are real connector
 * settings, both start the same command, and the healthcheck script answers as Docker expects.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SETTINGS } from '../../connector/config/connector-settings.js';
import { ROOT } from '../lib/paths.js';
import { envOf, execForm, inBuildContext, parseDockerfile, parseEnvFile, parseUnit, unitValues, type Stage } from './container-files.js';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const stages = parseDockerfile(read('Dockerfile'));
const dockerignore = read('.dockerignore');
const unit = parseUnit(read('deploy/cosell-connector.service'));
const runtime = stages.at(-1)!;
const runtimeEnv = envOf(runtime);
const SETTING_ENV = new Set(SETTINGS.map((s) => s.env));

const op = (stage: Stage, name: string) => stage.instructions.filter((i) => i.op === name);
const runs = (stage: Stage) => op(stage, 'RUN').map((i) => i.rest);

function filesUnder(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!statSync(full).isDirectory()) return [dir];
  return readdirSync(full).flatMap((entry) => (entry === 'node_modules' ? [] : filesUnder(path.posix.join(dir, entry))));
}

describe('Dockerfile', () => {
  it('is multi-stage: build with npm ci and build:connector, production deps apart, a runtime stage', () => {
    assert.ok(stages.length >= 3);
    const build = stages.find((s) => s.name === 'build')!;
    assert.ok(runs(build).some((r) => /\bnpm ci\b/.test(r)));
    assert.ok(runs(build).includes('npm run build:connector'));
    assert.ok(stages.some((s) => runs(s).some((r) => /npm ci --omit=dev/.test(r))), 'a stage installs production dependencies only');
    assert.equal(runtime.name, 'runtime');
    assert.match(runtime.base, /^node:22/);
    assert.ok(!runs(runtime).some((r) => /npm (ci|install)/.test(r)), 'nothing is installed in the runtime stage');
  });

  it('every file the build copies from the context exists and is in the build context', () => {
    for (const stage of stages) {
      for (const copy of op(stage, 'COPY').filter((c) => !c.flags.from)) {
        const sources = copy.rest.split(/\s+/).slice(0, -1);
        for (const source of sources) {
          assert.ok(existsSync(path.join(ROOT, source)), `${source} exists`);
          for (const file of filesUnder(source).filter((f) => !f.endsWith('.test.ts'))) {
            assert.ok(inBuildContext(dockerignore, file), `${file} is in the build context`);
          }
        }
      }
    }
  });

  it('the build context covers everything tsconfig.build.json compiles, and leaves secrets and local state out', () => {
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    for (const pattern of build.include) {
      const dir = pattern.split('/')[0];
      for (const file of filesUnder(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
        assert.ok(inBuildContext(dockerignore, file), `${file} is compiled, so must be in the build context`);
      }
    }
    for (const file of ['.env', 'connector/.env', '.sf/config.json', '.sfdx/alias.json', 'node_modules/pino/package.json', 'dist/connector/cli/index.js', 'var/cosell.sqlite', 'force-app/main/default/lwc/x/x.ts', '.git/config', 'connector/cli/cli.test.ts', 'deploy/connector.env', 'sandbox/org/index.ts']) {
      assert.equal(inBuildContext(dockerignore, file), false, `${file} stays out of the build context`);
    }
  });

  it('runs as a non-root user, with code the user cannot rewrite', () => {
    const users = op(runtime, 'USER').map((u) => u.rest);
    assert.equal(users.at(-1), 'node');
    assert.ok(op(runtime, 'COPY').every((c) => !c.flags.chown), 'code is root-owned');
  });

  it('copies package.json into the runtime (dist/ is ES modules) and only production node_modules', () => {
    const copies = op(runtime, 'COPY').map((c) => `${c.flags.from ?? ''}:${c.rest}`);
    assert.ok(copies.includes(':package.json ./'));
    assert.ok(copies.some((c) => c.startsWith('deps:') && c.includes('node_modules')));
    assert.ok(copies.some((c) => c.startsWith('build:') && c.includes('dist')));
  });

  it('configures through the environment, with names the connector knows', () => {
    for (const name of runtimeEnv.keys()) assert.ok(SETTING_ENV.has(name) || name.startsWith('NODE_'), `${name} is a connector setting`);
    assert.equal(runtimeEnv.get('COSELL_HOST'), '0.0.0.0', 'reachable from outside the container');
  });

  it('exposes the configured port and keeps the store and token cache on the data volume', () => {
    assert.deepEqual(op(runtime, 'EXPOSE').map((e) => e.rest), [runtimeEnv.get('COSELL_PORT')]);
    const volumes = op(runtime, 'VOLUME').flatMap((v) => execForm(v.rest));
    const dataDir = path.posix.dirname(runtimeEnv.get('COSELL_STORE_PATH')!);
    assert.ok(volumes.includes(dataDir));
    assert.equal(path.posix.dirname(runtimeEnv.get('COSELL_PC_TOKEN_CACHE_FILE')!), dataDir);
    assert.ok(runs(runtime).some((r) => r.includes(`chown node:node ${dataDir}`)), 'the volume is writable by the user');
  });

  it('health-checks /healthz with a script it copies in', () => {
    const [check] = op(runtime, 'HEALTHCHECK');
    assert.match(check.rest, /^CMD /);
    const command = execForm(check.rest.slice(4));
    assert.deepEqual(command, ['node', 'deploy/healthcheck.mjs']);
    assert.ok(op(runtime, 'COPY').some((c) => c.rest.startsWith('deploy/healthcheck.mjs')));
  });

  it('starts `cosell start` from dist, the same command as the systemd unit', () => {
    const command = [...execForm(op(runtime, 'ENTRYPOINT')[0].rest), ...execForm(op(runtime, 'CMD')[0].rest)];
    assert.deepEqual(command, ['node', 'dist/connector/cli/index.js', 'start']);
    assert.ok(existsSync(path.join(ROOT, 'connector/cli/index.ts')), 'dist/connector/cli/index.js is compiled from connector/cli/index.ts');
    const [exec] = unitValues(unit, 'Service', 'ExecStart');
    assert.match(exec, /^\/\S+\/node \/opt\/cosell\/dist\/connector\/cli\/index\.js start$/);
  });
});

describe('systemd unit', () => {
  const service = (key: string) => unitValues(unit, 'Service', key);

  it('restarts on failure but not on a configuration error (exit 2)', () => {
    assert.deepEqual(service('Restart'), ['on-failure']);
    assert.deepEqual(service('RestartPreventExitStatus'), ['2']);
  });

  it('keeps secrets in an EnvironmentFile outside the application directory', () => {
    const [file] = service('EnvironmentFile');
    assert.ok(file.startsWith('/etc/'), file);
    assert.ok(!file.startsWith(service('WorkingDirectory')[0]));
  });

  it('keeps the store and token cache in its StateDirectory, the only writable path', () => {
    const [state] = service('StateDirectory');
    const dir = `/var/lib/${state}`;
    const env = new Map(service('Environment').map((e) => e.split(/=(.*)/s) as [string, string]));
    assert.equal(path.posix.dirname(env.get('COSELL_STORE_PATH')!), dir);
    assert.equal(path.posix.dirname(env.get('COSELL_PC_TOKEN_CACHE_FILE')!), dir);
    assert.deepEqual(service('ReadWritePaths'), [dir]);
    for (const name of env.keys()) assert.ok(SETTING_ENV.has(name) || name.startsWith('NODE_'), `${name} is a connector setting`);
  });

  it('is hardened and runs unprivileged', () => {
    assert.deepEqual(service('NoNewPrivileges'), ['yes']);
    assert.deepEqual(service('ProtectSystem'), ['strict']);
    assert.deepEqual(service('CapabilityBoundingSet'), ['']);
    assert.notEqual(service('User')[0] ?? 'root', 'root');
    assert.deepEqual(service('MemoryDenyWriteExecute'), [], 'V8 needs W+X memory');
  });

  it('passes systemd-analyze verify', (t) => {
    const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      t.skip('systemd-analyze is not installed here');
      return;
    }
    // verify checks that ExecStart's program exists: point it at this Node for the check.
    const dir = mkdtempSync(path.join(tmpdir(), 'cosell-unit-'));
    const file = path.join(dir, 'cosell-connector.service');
    writeFileSync(file, read('deploy/cosell-connector.service').replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`));
    const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    const complaints = result.stderr.split('\n').filter((l) => l.includes(file));
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(complaints, []);
  });
});

describe('connector.env.example', () => {
  const example = parseEnvFile(read('deploy/connector.env.example'));

  it('documents every connector setting and nothing else', () => {
    const secretFiles = new Set(SETTINGS.filter((s) => s.secret).map((s) => `${s.env}_FILE`));
    for (const name of SETTING_ENV) assert.ok(example.documented.has(name), `${name} is documented`);
    for (const name of example.documented) assert.ok(SETTING_ENV.has(name) || secretFiles.has(name), `${name} is a setting or a secret's file form`);
  });

  it('holds no secret values', () => {
    for (const setting of SETTINGS.filter((s) => s.secret)) {
      assert.equal(example.set.get(setting.env) ?? '', '', `${setting.env} is empty`);
    }
  });
});

describe('healthcheck script', () => {
  async function healthcheckAgainst(status: number | 'closed'): Promise<{ code: number | null; stderr: string }> {
    const server = createServer((_request, response) => {
      response.writeHead(status === 'closed' ? 500 : status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ healthy: status === 200, checks: { worker: { ok: false, error: 'worker is stopped' } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    if (status === 'closed') await new Promise((resolve) => server.close(resolve));
    // Asynchronously: this process's event loop must stay free to answer the script's request.
    const child = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const script = spawn(process.execPath, [path.join(ROOT, 'deploy/healthcheck.mjs')], { env: { PATH: process.env.PATH, COSELL_PORT: String(port) } });
      let stderr = '';
      script.stderr.on('data', (d: Buffer) => (stderr += d));
      script.on('close', (code) => resolve({ code, stderr }));
    });
    if (status !== 'closed') await new Promise((resolve) => server.close(resolve));
    return child;
  }

  it('exits 0 when /healthz answers 200', async () => {
    assert.equal((await healthcheckAgainst(200)).code, 0);
  });

  it('exits 1 with the reason when /healthz answers 503', async () => {
    const { code, stderr } = await healthcheckAgainst(503);
    assert.equal(code, 1);
    assert.match(stderr, /answered 503: .*worker is stopped/);
  });

  it('exits 1 when nothing listens', async () => {
    const { code, stderr } = await healthcheckAgainst('closed');
    assert.equal(code, 1);
    assert.match(stderr, /did not answer/);
  });
});
