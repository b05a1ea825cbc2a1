/** The `cosell` contract, exercised the way admins and other tests use it: as a spawned process on fixture files. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readFixture } from '../engine/fixtures/load.js';
import { main, quietRuntimeWarnings, registerCommand, registeredCommands, type CliIo } from './index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = 'connector/engine/fixtures';
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source, so the test always checks the code beside it (bin/cosell.js may pick a built copy). */
async function cosell(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'connector/cli/index.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('map outbound prints the create body', async () => {
  const out = await cosell('map', 'outbound', '--opportunity', `${FIXTURES}/opportunities/co-sell.json`, '--settings', `${FIXTURES}/settings/configured.json`);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), readFixture('expected/co-sell-create.json'));
});

test('map outbound with --current prints the patch', async () => {
  const out = await cosell('map', 'outbound', '--opportunity', `${FIXTURES}/opportunities/linked-closed-lost.json`, '--current', `${FIXTURES}/referrals/created-co-sell.json`, '--settings', `${FIXTURES}/settings/configured.json`);
  assert.equal(out.code, 0, out.stderr);
  const result = JSON.parse(out.stdout);
  assert.equal(result.operation, 'update');
  assert.equal(result.ifMatch, '"0400a1f2-0000-0800-0000-65e2f0a20000"');
  assert.deepEqual(result.patch.map((op: { path: string }) => op.path), ['/status', '/substatus', '/statusReason']);
});

test('map outbound validation failure prints errors and exits 2', async () => {
  const out = await cosell('map', 'outbound', '--opportunity', `${FIXTURES}/opportunities/country-missing.json`);
  assert.equal(out.code, 2);
  const { errors } = JSON.parse(out.stdout);
  assert.equal(errors[0].field, 'Account.BillingCountry');
  assert.match(errors[0].message, /set Billing Country to a two-letter code such as DE/);
});

test('map inbound prints the records to write', async () => {
  const out = await cosell('map', 'inbound', '--referral', `${FIXTURES}/referrals/incoming-new.json`, '--settings', `${FIXTURES}/settings/configured.json`);
  assert.equal(out.code, 0, out.stderr);
  const result = JSON.parse(out.stdout);
  assert.deepEqual(Object.keys(result).slice(0, 7), ['action', 'reason', 'opportunity', 'account', 'contacts', 'solutions', 'lead']);
  assert.equal(result.action, 'create');
  assert.equal(result.opportunity.StageName, 'Partner Center - On Hold');
});

test('map inbound --existing takes an opportunity record or a wrapper object', async () => {
  const deleted = await cosell('map', 'inbound', '--referral', `${FIXTURES}/referrals/incoming-active.json`, '--settings', `${FIXTURES}/settings/configured.json`, '--existing', `${FIXTURES}/opportunities/incoming-deleted.json`);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.equal(JSON.parse(deleted.stdout).action, 'skip');
  const dir = await mkdtemp(path.join(tmpdir(), 'cosell-'));
  const wrapper = path.join(dir, 'existing.json');
  await writeFile(wrapper, JSON.stringify({ accountMatches: [{ Id: '001Dn00000N0r7wIAB', Name: 'Northwind Traders', BillingPostalCode: '98101' }] }));
  const matched = await cosell('map', 'inbound', '--referral', `${FIXTURES}/referrals/incoming-new.json`, '--settings', `${FIXTURES}/settings/configured.json`, '--existing', wrapper);
  assert.equal(matched.code, 0, matched.stderr);
  assert.deepEqual(JSON.parse(matched.stdout).account, { Id: '001Dn00000N0r7wIAB' });
});

test('bad settings, missing files and bad JSON: a clear message on stderr, exit 2', async () => {
  const unknown = await cosell('map', 'inbound', '--referral', `${FIXTURES}/referrals/incoming-new.json`, '--settings', `${FIXTURES}/settings/unknown-key.json`);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, '');
  assert.match(unknown.stderr, /Unknown setting "onHoldStage"/);
  const missing = await cosell('map', 'outbound', '--opportunity', 'no/such/file.json');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read --opportunity file "no\/such\/file.json": no such file/);
  const broken = await cosell('map', 'outbound', '--opportunity', `${FIXTURES}/opportunities/co-sell.json`, '--settings', `${FIXTURES}/settings/not-json.json`);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /--settings file ".*not-json.json" is not valid JSON/);
});

test('bin/cosell.js starts the CLI', async () => {
  const { stdout } = await run(process.execPath, ['bin/cosell.js', '--help'], { cwd: ROOT });
  assert.match(stdout, /Usage: cosell <command>/);
  assert.match(stdout, /\n {2}map {2}/);
});

// In-process checks of the dispatcher (no spawn needed).
function memoryIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, cwd: ROOT, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
}

test('help on every level', async () => {
  const top = memoryIo();
  assert.equal(await main(['--help'], top), 0);
  assert.match(top.out.join(''), /map +show what a sync would send/);
  const map = memoryIo();
  assert.equal(await main(['map', '--help'], map), 0);
  assert.match(map.out.join(''), /cosell map outbound --opportunity/);
  const sub = memoryIo();
  assert.equal(await main(['map', 'inbound', '--help'], sub), 0);
  assert.match(sub.out.join(''), /--existing <file>/);
});

test('usage errors exit 2 with a pointer to help', async () => {
  for (const argv of [[], ['frobnicate'], ['map'], ['map', 'sideways'], ['map', 'outbound'], ['map', 'inbound', '--referral'], ['map', 'outbound', '--bogus'], ['map', 'outbound', 'extra', '--opportunity', 'x']]) {
    const io = memoryIo();
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.ok(io.err.join('').length > 0, argv.join(' '));
  }
  const linked = memoryIo();
  assert.equal(await main(['map', 'outbound', '--opportunity', `${FIXTURES}/opportunities/linked-co-sell.json`], linked), 2);
  assert.match(linked.err.join(''), /already linked to referral 4d1b1a52-7a3c-4e2b-9b7e-0c5b0f1e2a01; pass that referral as the current one/);
});

test('subcommands are registered in one table', async () => {
  assert.deepEqual(registeredCommands().map((c) => c.name).sort(), ['dead-letters', 'map', 'partner-center', 'register-webhooks', 'start', 'status', 'sync']);
  assert.throws(() => registerCommand({ name: 'map', summary: '', help: '', run: async () => 0 }), /registered twice/);
  registerCommand({ name: 'echo-args', summary: 'echo the arguments', help: 'echo help', run: async (args, io) => (io.stdout(`echo ${args.join(',')}`), 0) });
  const io = memoryIo();
  assert.equal(await main(['echo-args', 'a', 'b'], io), 0);
  assert.equal(io.out.join(''), 'echo a,b');
  const help = memoryIo();
  await main(['--help'], help);
  assert.match(help.out.join(''), /echo-args +echo the arguments/);
});

test('a command that opens the SQLite store prints no runtime warning, from source and through bin/cosell.js', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cosell-warn-'));
  const storePath = path.join(dir, 'store.sqlite');
  // Create the store in a child so this test process's own warning state does not matter.
  await run(process.execPath, ['--import', 'tsx', '-e', `const { SqliteStore } = await import('./connector/store/sqlite-store.ts'); await new SqliteStore({ path: ${JSON.stringify(storePath)} }).close();`], { cwd: ROOT });
  const fromSource = await cosell('status', '--store', storePath);
  assert.equal(fromSource.code, 0, fromSource.stderr);
  assert.equal(fromSource.stderr, '');
  assert.match(fromSource.stdout, /^Store: /);
  let bin: Outcome;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/cosell.js', 'status', '--store', storePath, '--json'], { cwd: ROOT });
    bin = { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as Outcome;
    bin = { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
  assert.equal(bin.code, 0, bin.stderr);
  assert.equal(bin.stderr, '', 'no ExperimentalWarning or other notice on stderr');
  assert.equal(JSON.parse(bin.stdout).store, storePath);
});

test('other warnings still reach stderr, as one line', () => {
  const lines: string[] = [];
  const fake = new EventEmitter() as unknown as NodeJS.Process;
  fake.on('warning', () => lines.push('default handler'));
  quietRuntimeWarnings(fake, (text) => lines.push(text));
  const experimental = Object.assign(new Error('SQLite is an experimental feature'), { name: 'ExperimentalWarning' });
  const deprecation = Object.assign(new Error('Buffer() is deprecated'), { name: 'DeprecationWarning' });
  fake.emit('warning', experimental);
  fake.emit('warning', deprecation);
  assert.deepEqual(lines, ['cosell: DeprecationWarning: Buffer() is deprecated\n']);
});
