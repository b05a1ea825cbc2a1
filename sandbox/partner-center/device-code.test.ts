/** The emulator's device sign-in, as Entra documents it (v2-oauth2-device-code), over loopback HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from './emulator.js';
import { apiClient } from './testing.js';
import { DEVICE_CODE_GRANT } from './token-issuer.js';

const SCOPE = 'https://api.partner.microsoft.com/.default offline_access openid profile';

describe('device authorization grant', () => {
  let emulator: PartnerCenterEmulator;
  before(async () => {
    emulator = await startPartnerCenterEmulator({ deviceCode: { expiresInSeconds: 60, intervalSeconds: 1 } });
  });
  after(() => emulator.close());

  const post = async (path: string, form: Record<string, string>) => {
    const response = await fetch(`${emulator.url}/${emulator.tenantId}/oauth2/v2.0/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };
  const start = () => post('devicecode', { client_id: emulator.client.clientId, scope: SCOPE });
  const poll = (deviceCode: string, secret: string | null = emulator.client.clientSecret) =>
    post('token', {
      grant_type: DEVICE_CODE_GRANT,
      client_id: emulator.client.clientId,
      device_code: deviceCode,
      scope: SCOPE,
      ...(secret === null ? {} : { client_secret: secret }),
    });

  it('hands out a user code and a verification page, then tokens once the admin signs in there', async () => {
    const { status, body } = await start();
    assert.equal(status, 200);
    assert.match(body.user_code, /^[A-Z2-9]{9}$/);
    assert.equal(body.verification_uri, `${emulator.url}/_emulator/devicelogin`);
    assert.equal(Number(body.expires_in), 60);
    assert.equal(Number(body.interval), 1);
    assert.match(body.message, new RegExp(`open the page ${body.verification_uri} and enter the code ${body.user_code}`));

    const pending = await poll(body.device_code);
    assert.equal(pending.status, 400);
    assert.equal(pending.body.error, 'authorization_pending');

    const page = await fetch(body.verification_uri);
    assert.match(await page.text(), /<form method="post">/);
    const signIn = await fetch(body.verification_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_code: body.user_code.toLowerCase() }),
    });
    assert.equal(signIn.status, 200);

    const tokens = await poll(body.device_code);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.ok(tokens.body.refresh_token && tokens.body.access_token && tokens.body.id_token);
    const claims = JSON.parse(Buffer.from(String(tokens.body.id_token).split('.')[1], 'base64url').toString('utf8'));
    assert.equal(claims.preferred_username, 'referrals.admin@partner.example');
    assert.equal((await apiClient(emulator, tokens.body.access_token)('GET', '/v1.0/engagements/referrals')).status, 200);

    const again = await poll(body.device_code);
    assert.equal(again.body.error, 'bad_verification_code', 'a device code is redeemed once');
  });

  it('needs the confidential client secret to redeem the code', async () => {
    const { body } = await start();
    emulator.control.auth.approveDeviceCode(body.user_code, { userPrincipalName: 'pat@partner.example' });
    const missing = await poll(body.device_code, null);
    assert.equal(missing.status, 401);
    assert.match(missing.body.error_description, /^AADSTS7000218: .*client_secret/);
    assert.equal((await poll(body.device_code, 'wrong')).body.error, 'invalid_client');
    assert.equal((await poll(body.device_code)).status, 200);
  });

  it('reports a declined and an expired sign-in, and refuses an unknown app', async () => {
    const declined = await start();
    assert.equal(emulator.control.auth.declineDeviceCode(declined.body.user_code), true);
    assert.equal((await poll(declined.body.device_code)).body.error, 'authorization_declined');

    const expired = await start();
    emulator.control.clock.advance(61_000);
    assert.equal(emulator.control.auth.approveDeviceCode(expired.body.user_code), false, 'an expired code cannot be approved');
    const late = await poll(expired.body.device_code);
    assert.equal(late.body.error, 'expired_token');
    assert.match(late.body.error_description, /^AADSTS70020: /);

    const unknown = await post('devicecode', { client_id: 'someone-else', scope: SCOPE });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error, 'unauthorized_client');
  });
});
