/**
 * End to end, the webhook endpoint under attack: deliveries captured on the wire between Partner Center and the
 * connector are tampered with, pointed at a foreign signing certificate, or replayed. Each is refused with a
 * 4xx, and nothing happens: no work is queued, neither Salesforce nor Partner Center is called.
 */
import assert from 'node:assert/strict';
import { createSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { issueCertificate } from '../../sandbox/partner-center/test-certificates.js';
import { assertQuiet, eventually, opportunityForReferral, record, settled, traffic, type Row } from '../support/observe.js';
import { startStack, type Stack } from '../support/stack.js';
import type { TappedExchange } from '../support/wire-tap.js';

const DAY_MS = 24 * 3600_000;

let stack: Stack;
let referralId: string;
let opportunityId: string;
/** A genuine delivery Partner Center made about the referral, as captured on the wire. */
let genuine: TappedExchange;

before(async () => {
  stack = await startStack();
  referralId = String((await stack.microsoft.share({ name: 'Northwind - data estate', customer: { name: 'Northwind Health', country: 'US', postalCode: '60601' }, dealValue: 70_000 })).id);
  opportunityId = String((await eventually(() => opportunityForReferral(stack, referralId), 'the shared referral in Salesforce')).Id);
  await settled(stack);
  genuine = stack.webhookWire.exchanges.find((e) => e.status === 200 && notification(e).ResourceUri.endsWith(`/referrals/${referralId}`))!;
  assert.ok(genuine, 'a genuine delivery was captured');
});
after(() => stack?.close());

function notification(exchange: TappedExchange): { EventName: string; ResourceUri: string; ResourceChangeUtcDate: string } {
  return JSON.parse(exchange.body.toString('utf8'));
}

/** The signature headers of a captured delivery. */
function signatureHeaders(exchange: TappedExchange): Record<string, string> {
  const pick = (name: string) => String(exchange.headers[name]);
  return {
    authorization: pick('authorization'),
    'x-ms-certificate-url': pick('x-ms-certificate-url'),
    'x-ms-signature-algorithm': pick('x-ms-signature-algorithm'),
  };
}

/** Posts straight to the connector's webhook endpoint, as anyone who knows its address can. */
async function deliver(body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; body: Row }> {
  const response = await fetch(`${stack.connector.url}/v1/partner-center/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as Row };
}

/** Everything an accepted delivery would change: the opportunity, the queue and the traffic on both sides. */
async function snapshot() {
  return {
    opportunity: record(stack, opportunityId),
    inboundItems: (await stack.connector.store.listItems({ kind: 'inbound' })).length,
    traffic: traffic(stack),
  };
}

async function verificationFailures(reason: string): Promise<number> {
  const metrics = await (await fetch(`${stack.connector.url}/metrics`)).text();
  const match = new RegExp(`^cosell_webhook_verification_failures_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(metrics);
  return match ? Number(match[1]) : 0;
}

describe('the webhook endpoint', () => {
  it('refuses forged deliveries: a tampered body, or no signature at all', async () => {
    const before = await snapshot();
    const mismatches = await verificationFailures('signature-mismatch');
    // The captured signature over a body that now names another referral.
    const tampered = { ...notification(genuine), ResourceUri: notification(genuine).ResourceUri.replace(referralId, '00000000-0000-4000-8000-000000000bad') };
    const forged = await deliver(JSON.stringify(tampered), signatureHeaders(genuine));
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error, 'invalid_signature');
    assert.equal(await verificationFailures('signature-mismatch'), mismatches + 1);
    const unsigned = await deliver(genuine.body, { 'x-ms-signature-algorithm': 'rsa-sha256' });
    assert.equal(unsigned.status, 401);

    await assertQuiet(stack);
    assert.deepEqual(await snapshot(), before, 'nothing changed anywhere');
  });

  it('never fetches a signing certificate from a host other than Partner Center’s', async () => {
    // An attacker signs a forged notification with their own key and serves their certificate themselves.
    const rogue = issueCertificate({ subject: { CN: 'pcnotifications-dispatch.microsoft.com', O: 'Microsoft Corporation' } });
    const fetched: string[] = [];
    const server: Server = createServer((request, response) => {
      fetched.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/pkix-cert' }).end(rogue.certificateDer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const before = await snapshot();
      const body = JSON.stringify({ ...notification(genuine), EventName: 'referral-updated', ResourceChangeUtcDate: new Date().toISOString() });
      const signature = createSign('RSA-SHA256').update(Buffer.from(body, 'utf8')).sign(rogue.privateKeyPem, 'base64');
      const port = (server.address() as AddressInfo).port;
      // Only the emulator's own host may serve the certificate (Microsoft's certificate host, live); these are
      // other hosts, kept on loopback so that a broken check could not reach out of the machine.
      for (const certificateUrl of [`http://127.0.0.1:${port}/cert/pcnotifications-dispatch.cer`, `https://127.0.0.1:${port}/cert/pcnotifications-dispatch.microsoft.com.cer`]) {
        const answer = await deliver(body, { authorization: `Signature ${signature}`, 'x-ms-certificate-url': certificateUrl, 'x-ms-signature-algorithm': 'rsa-sha256' });
        assert.equal(answer.status, 401, certificateUrl);
      }
      // Even Partner Center's own signature is refused when the certificate URL leaves the allow-list.
      const moved = await deliver(genuine.body, { ...signatureHeaders(genuine), 'x-ms-certificate-url': `http://127.0.0.1:${port}/cert.cer` });
      assert.equal(moved.status, 401);
      assert.deepEqual(fetched, [], 'no certificate was fetched from the foreign host');

      await assertQuiet(stack);
      assert.deepEqual(await snapshot(), before, 'nothing changed anywhere');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('does no work for a replayed delivery, and refuses one captured more than a day ago', async () => {
    // Replayed at once: recognised as the delivery it repeats, acknowledged, and nothing is queued.
    const before = await snapshot();
    const again = await deliver(genuine.body, signatureHeaders(genuine));
    assert.equal(again.status, 200);
    await assertQuiet(stack);
    assert.deepEqual(await snapshot(), before, 'a repeat does nothing');

    // A delivery captured a day and more ago: Partner Center signed it then (its clock is set back while it
    // does), the wire tap keeps it from the connector, and it is replayed now.
    const amount = record(stack, opportunityId).Amount;
    const captured = stack.webhookWire.exchanges.length;
    stack.webhookWire.holdWith = 200;
    stack.pc.control.clock.advance(-(DAY_MS + 3600_000));
    try {
      await stack.microsoft.update(referralId, { dealValue: 1 });
      await stack.pc.control.webhooks.idle();
    } finally {
      stack.pc.control.clock.advance(DAY_MS + 3600_000);
      stack.webhookWire.holdWith = null;
    }
    const old = stack.webhookWire.exchanges.slice(captured).find((e) => notification(e).ResourceUri.endsWith(`/referrals/${referralId}`));
    assert.ok(old, 'the old delivery was captured');
    assert.ok(Date.now() - Date.parse(notification(old).ResourceChangeUtcDate) > DAY_MS);

    const replayedAt = await snapshot();
    const replayed = await deliver(old.body, signatureHeaders(old));
    assert.equal(replayed.status, 400);
    assert.equal(replayed.body.error, 'stale_notification');
    assert.equal(replayed.body.field, 'ResourceChangeUtcDate');
    await assertQuiet(stack);
    assert.deepEqual(await snapshot(), replayedAt, 'nothing changed anywhere');
    assert.equal(record(stack, opportunityId).Amount, amount);
  });
});
