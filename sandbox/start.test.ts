/**
 * `npm start`: the sandbox as a process (demo, signals, clean shutdown) and in-process (port in use, a demo
 * step whose outcome never comes, --no-demo).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createNarrator } from './demo/narrator.js';
import { runDemo } from './demo/scenario.js';
import { main, startSandbox } from './start.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function capture() {
  const io = { out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

async function until<T>(check: () => T | undefined | null | false, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start (sandbox/start.ts as a process)', () => {
  it('starts everything, narrates both directions with every outcome observed, and stops cleanly on SIGINT', { timeout: 180_000 }, async () => {
    const env: Record<string, string | undefined> = { ...process.env, NODE_NO_WARNINGS: '1' };
    delete env.COSELL_LOG_LEVEL;
    delete env.COSELL_PORT;
    const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/start.ts', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => /Press Ctrl\+C to stop\.|Demo stopped/.test(output) || child.exitCode !== null, 'the end of the demo', 150_000);
      const url = /^connector listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
      assert.ok(url, output);
      for (const label of ['local org (Salesforce REST)', 'Partner Center emulator']) assert.match(output, new RegExp(`${label.replace(/[()]/g, '\\$&')} +http://127\\.0\\.0\\.1:\\d+`));
      assert.match(output, new RegExp(`health +${url}/healthz`));
      assert.match(output, new RegExp(`metrics +${url}/metrics`));
      const dataDir = /^ {2}data +(\S+)/m.exec(output)![1];
      assert.ok(existsSync(dataDir), 'the data directory exists while running');

      // Every step ran and every outcome line carries its measured time; nothing failed.
      assert.doesNotMatch(output, /^ {4}✖ /m, output);
      assert.match(output, /^Demo finished: 4 of 4 steps succeeded in \d+ ms\.$/m, output);
      for (const line of output.split('\n').filter((l) => l.startsWith('    ✔ '))) assert.match(line, /\(\d+ ms\)$/, line);
      const step = (n: number) => output.slice(output.indexOf(`\n${n}. `), output.indexOf(`\n${n + 1}. `) === -1 ? undefined : output.indexOf(`\n${n + 1}. `));

      const referral = /✔ referral ([0-9a-f-]{36}) created in Partner Center: New\/Pending, Shared/.exec(step(1))?.[1];
      assert.ok(referral, step(1));
      assert.match(step(1), new RegExp(`✔ written back to Salesforce: "✔ Contoso - Azure landing zone", Partner Center status "New - Pending", referral id ${referral}`));
      assert.match(step(2), new RegExp(`✔ referral ${referral} updated in Partner Center: deal value 275,000 USD, closing \\d{4}-\\d\\d-\\d\\dT00:00:00Z`));
      assert.match(step(2), /audit trail in Salesforce: ✔ Salesforce → Partner Center: Updated referral .*dealValue, closeDate/);
      assert.match(step(3), /✔ opportunity 006\w{15} "✔ Woodgrove - analytics platform" created in Salesforce: stage "On Hold", 90,000 GBP/);
      assert.match(step(3), /✔ referral [0-9a-f-]{36} in Partner Center: Active\/Accepted/);
      assert.match(step(3), /Salesforce shows Partner Center status "Active - Accepted"/);
      assert.match(step(3), /Salesforce shows Microsoft CRM id 7-DEMO00042/);
      assert.match(step(4), /the seller sees "✖ Tailspin - Teams Phone"/);
      assert.match(step(4), /Account "Tailspin Toys" \(001\w{15}\) — set Billing Country to a two-letter code such as DE\./);
      assert.match(step(4), /add the customer's contact to Contact Roles\./);
      assert.match(step(4), /✔ shared: referral [0-9a-f-]{36}, "✔ Tailspin - Teams Phone"/);

      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      assert.match(metrics, /cosell_sync_success_total\{kind="outbound"\} [3-9]/);

      child.kill('SIGINT');
      assert.equal(await exited, 0, output);
      assert.match(output, /Stopping: .*\n(.*\n)*Stopped cleanly\.\n$/);
      assert.equal(existsSync(dataDir), false, 'the data directory is removed on exit');
      await assert.rejects(fetch(`${url}/healthz`), 'nothing listens after the exit');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('npm start (in-process)', () => {
  it('says which port is taken and which settings choose another', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const io = capture();
      assert.equal(await main(['--port', String(port)], io, {}), 1);
      assert.match(io.err, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.match(io.err, new RegExp(`COSELL_PORT=${port + 1} npm start, or npm start -- --port ${port + 1}`));
      assert.equal(io.out, '');
    } finally {
      blocker.close();
    }
  });

  it('rejects a bad --port', async () => {
    const io = capture();
    assert.equal(await main(['--port', 'eighty'], io, {}), 2);
    assert.match(io.err, /--port must be a port number/);
  });

  it('reports a step whose outcome never arrives, instead of claiming it', { timeout: 60_000 }, async () => {
    const sandbox = await startSandbox({ port: 0, env: {} });
    try {
      // The org's flow can no longer reach the connector: the referral is never created.
      sandbox.connector.sandbox.org.control.deliveries.configure(null);
      let text = '';
      const result = await runDemo(sandbox.connector.sandbox, createNarrator((line) => (text += `${line}\n`)), { timeoutMs: 1500 });
      assert.equal(result.ok, false);
      assert.equal(result.steps.length, 1, 'the demo stops at the failed step');
      assert.match(result.steps[0].error ?? '', /timed out after 1500 ms waiting for the referral in Partner Center/);
      assert.match(text, /^ {4}✖ timed out after 1500 ms waiting for the referral in Partner Center$/m);
      assert.doesNotMatch(text, /✔/);
    } finally {
      await sandbox.close();
    }
    assert.equal(existsSync(sandbox.dataDir), false);
  });

  it('--no-demo starts everything, skips the demo, and closes on SIGTERM', { timeout: 60_000 }, async () => {
    const io = capture();
    const running = main(['--port', '0', '--no-demo'], io, {});
    await until(() => io.out.includes('Press Ctrl+C to stop.'), 'the sandbox to start', 50_000);
    assert.match(io.out, /^connector listening on http:\/\/127\.0\.0\.1:\d+$/m);
    assert.doesNotMatch(io.out, /^1\. /m);
    process.emit('SIGTERM');
    assert.equal(await running, 0);
    assert.match(io.out, /Stopped cleanly\.\n$/);
  });
});
