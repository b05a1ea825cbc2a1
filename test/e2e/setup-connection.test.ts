/**
 * The setup page's Test connection and Register Partner Center webhooks, end to end: the local org runs the
 * packaged screen flow's equivalent (one External Services callout through the named credential the delivery flow
 * uses), the running connector answers from Partner Center (the emulator), and the flow's outputs are what the page
 * shows. Nothing here calls the connector directly.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startStack, type Stack } from '../support/stack.js';

const FLOW = 'Partner_Center_Connection_Check';
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('setup page: Test connection and Register Partner Center webhooks', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  const run = (action: string, as = 'admin') => stack.org.control.flows.run(FLOW, { action }, { as });

  it('Test connection shows the connector version, its Partner Center sign-in and the webhooks it registered at start', async () => {
    const out = await run('check');
    assert.equal(out.reached, true, String(out.failureMessage));
    assert.equal(out.responseCode, 200);
    assert.equal(out.connectorVersion, VERSION);
    assert.equal(out.partnerCenterState, 'signed-in');
    assert.equal(out.partnerCenterSignedIn, true);
    assert.equal(out.webhookRegistered, true);
    assert.equal(out.webhookUrl, stack.connector.webhookUrl);
    assert.equal(out.webhookMatches, true);
    assert.equal(stack.pc.control.webhooks.registration()?.WebhookUrl, stack.connector.webhookUrl);
  });

  it('Register Partner Center webhooks takes the registration back from another callback', async () => {
    // Someone (another connector, an old sandbox) holds the tenant's registration.
    await stack.connector.partnerCenter.registerWebhooks('https://stale.example.com/v1/webhooks/partner-center');
    const stale = await run('check');
    assert.equal(stale.webhookRegistered, true);
    assert.equal(stale.webhookMatches, false);
    assert.equal(stale.webhookUrl, 'https://stale.example.com/v1/webhooks/partner-center');
    assert.equal(stack.pc.control.webhooks.registration()?.WebhookUrl, 'https://stale.example.com/v1/webhooks/partner-center', 'checking changed nothing');

    const registered = await run('register');
    assert.equal(registered.reached, true);
    assert.equal(registered.webhookMatches, true);
    assert.equal(stack.pc.control.webhooks.registration()?.WebhookUrl, stack.connector.webhookUrl);
  });

  it('a wrong shared secret in the named credential is a 401 the page can explain; a missing URL is the fault path', async () => {
    const target = stack.org.control.deliveries.target()!;
    try {
      stack.org.control.deliveries.configure({ ...target, sharedSecret: 'not-the-connector-secret' });
      const refused = await run('check');
      assert.equal(refused.reached, false);
      assert.equal(refused.responseCode, 401);
      assert.equal(refused.failureMessage, 'The connector answered HTTP 401');
      assert.equal(refused.connectorVersion, null);

      stack.org.control.deliveries.configure({ ...target, connectorUrl: 'http://127.0.0.1:9' });
      const unreachable = await run('register');
      assert.equal(unreachable.reached, false);
      assert.equal(unreachable.responseCode, null);
      assert.match(String(unreachable.failureMessage), /^The callout to http:\/\/127\.0\.0\.1:9\/v1\/connection\/webhooks failed: /);
    } finally {
      stack.org.control.deliveries.configure(target);
    }
  });

  it('only users the flow grants access to may run it (Partner Center Admin)', async () => {
    await assert.rejects(run('check', 'seller'), /seller@cosell\.local has no access to the flow Partner_Center_Connection_Check/);
  });
});
