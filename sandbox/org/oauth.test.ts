import assert from 'node:assert/strict';
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import jsforce from 'jsforce';
import { DEFAULT_INTEGRATION_CLIENT, startLocalOrg, type LocalOrg } from './index.js';
import { connectAs, rejection } from './test-helpers.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
let org: LocalOrg;

before(async () => {
  org = await startLocalOrg({
    seed: false,
    integrationClient: { ...DEFAULT_INTEGRATION_CLIENT, jwtPublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  });
});
after(() => org.close());

const form = (params: Record<string, string>) =>
  fetch(`${org.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });

function jwt(claims: Record<string, unknown>): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(keys.privateKey).toString('base64url')}`;
}

describe('OAuth 2.0 token endpoint', () => {
  it('issues a client-credentials token for the integration user with Salesforce\'s fields and signature', async () => {
    const res = await form({ grant_type: 'client_credentials', client_id: org.integrationCredentials.clientId, client_secret: org.integrationCredentials.clientSecret });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.instance_url, org.url);
    const integration = org.control.users.get('integration');
    assert.equal(body.id, `${org.loginUrl}/id/${org.orgId}/${integration.id}`);
    const expected = createHmac('sha256', org.integrationCredentials.clientSecret).update(body.id + body.issued_at).digest('base64');
    assert.equal(body.signature, expected);
  });

  it('answers bad credentials with {error, error_description}', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ grant_type: 'client_credentials', client_id: 'nope', client_secret: 'x' }, 'invalid_client_id', 'client identifier invalid'],
      [{ grant_type: 'client_credentials', client_id: org.integrationCredentials.clientId, client_secret: 'wrong' }, 'invalid_client', 'invalid client credentials'],
      [{ grant_type: 'password', client_id: org.sellerCredentials.clientId, client_secret: org.sellerCredentials.clientSecret, username: org.sellerCredentials.username, password: 'wrong' }, 'invalid_grant', 'authentication failure'],
      [{ grant_type: 'client_credentials', client_id: org.sellerCredentials.clientId, client_secret: org.sellerCredentials.clientSecret }, 'invalid_grant', 'no client credentials user enabled'],
      [{ grant_type: 'authorization_code', code: 'x' }, 'unsupported_grant_type', 'grant type not supported'],
    ];
    for (const [params, error, description] of cases) {
      const res = await form(params);
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error, error_description: description });
    }
  });

  it('logs jsforce in with each flow; the identity URL and userinfo describe the right user', async () => {
    const integration = await connectAs(org, 'integration');
    assert.equal(integration.userInfo?.id, org.control.users.get('integration').id);
    const seller = await connectAs(org, 'seller');
    const identity = await seller.identity();
    assert.equal(identity.username, org.sellerCredentials.username);
    assert.equal(identity.organization_id, org.orgId);
    const info = (await (await fetch(`${org.url}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${seller.accessToken}` } })).json()) as Record<string, unknown>;
    assert.equal(info.preferred_username, org.sellerCredentials.username);
    assert.equal(info.user_id, org.control.users.get('seller').id);
  });

  it('accepts a JWT bearer assertion signed by the registered key, and rejects a bad one', async () => {
    const conn = new jsforce.Connection({ loginUrl: org.loginUrl, version: org.apiVersion });
    const exp = Math.floor(Date.now() / 1000) + 180;
    const claims = { iss: org.integrationCredentials.clientId, sub: org.sellerCredentials.username, aud: 'https://login.salesforce.com', exp };
    await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt(claims) });
    assert.equal(conn.userInfo?.id, org.control.users.get('seller').id);
    const expired = await form({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt({ ...claims, exp: exp - 3600 }) });
    assert.deepEqual(await expired.json(), { error: 'invalid_grant', error_description: 'expired authorization code' });
    const tampered = jwt(claims).replace(/\.[^.]+$/, '.AAAA');
    assert.equal((await form({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: tampered })).status, 400);
  });
});

describe('sessions', () => {
  it('rejects API calls without a valid token with 401 INVALID_SESSION_ID', async () => {
    for (const headers of [{}, { Authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
      const res = await fetch(`${org.url}/services/data/v64.0/sobjects`, { headers });
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
  });

  it('ends sessions on revoke and on expiry: jsforce re-logs in where it can, else sees INVALID_SESSION_ID', async () => {
    // A password login lets jsforce log in again after a 401, as it does against a real org.
    const seller = await connectAs(org, 'seller');
    const oldToken = seller.accessToken ?? '';
    const revoked = await fetch(`${org.url}/services/oauth2/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(oldToken)}` });
    assert.equal(revoked.status, 200);
    await seller.query('SELECT Id FROM Account');
    assert.notEqual(seller.accessToken, oldToken);
    // Client credentials issue no refresh token; a refreshFn that asks for a new token recovers after expiry.
    const { clientId, clientSecret } = org.integrationCredentials;
    const oauth2 = new jsforce.OAuth2({ loginUrl: org.loginUrl, clientId, clientSecret });
    const integration = new jsforce.Connection({
      oauth2,
      version: org.apiVersion,
      refreshFn: (_conn, callback) => {
        oauth2.requestToken({ grant_type: 'client_credentials' }).then((res) => callback(null, res.access_token, res), (err: Error) => callback(err));
      },
    });
    await integration.authorize({ grant_type: 'client_credentials' });
    const before = integration.accessToken;
    org.control.auth.expireSessions();
    const stale = await fetch(`${org.url}/services/data/v64.0/query?q=SELECT+Id+FROM+Account`, { headers: { Authorization: `Bearer ${before}` } });
    assert.equal(stale.status, 401);
    await integration.query('SELECT Id FROM Account');
    assert.notEqual(integration.accessToken, before);
  });
});

describe('versions', () => {
  it('lists API versions up to the latest without authentication, and serves any vNN.N', async () => {
    const list = (await (await fetch(`${org.url}/services/data`)).json()) as { label: string; url: string; version: string }[];
    assert.deepEqual(list.at(-1), { label: "Summer '25", url: '/services/data/v64.0', version: '64.0' });
    assert.deepEqual(list[0], { label: "Winter '11", url: '/services/data/v20.0', version: '20.0' });
    const conn = await connectAs(org, 'integration');
    const resources = (await conn.request('/services/data/v58.0/')) as Record<string, string>;
    assert.equal(resources.query, '/services/data/v58.0/query');
    assert.equal(resources.identity, `${org.loginUrl}/id/${org.orgId}/${org.control.users.get('integration').id}`);
    assert.equal((await rejection(() => conn.request('/services/data/v19.0/sobjects'))).errorCode, 'NOT_FOUND');
  });
});
