/**
 * `cosell partner-center login` against the emulator's token issuer, offline: the device code sign-in, MSAL taking
 * the refresh token into the token cache file, and the connector's own token provider renewing from that file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from '../../../sandbox/partner-center/emulator.js';
import { entraLoopback, type EntraLoopback } from '../../../sandbox/partner-center/entra-loopback.js';
import { loadPartnerCenterConfig } from '../../../connector/config/load.js';
import { FileCredentialPersistence } from '../../../connector/config/token-cache-file.js';
import type { PartnerCenterConfig } from '../../../connector/config/types.js';
import { PartnerCenterClient } from '../../../connector/partner-center/client.js';
import { MsalTokenProvider } from '../../../connector/partner-center/msal-token-provider.js';
import type { CliIo } from '../../../connector/cli/command.js';
import { main } from '../../../connector/cli/index.js';
import { partnerCenterLogin } from '../../../connector/cli/commands/partner-center-login.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cosell-login-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', cwd: dir, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('cosell partner-center login', () => {
  let emulator: PartnerCenterEmulator;
  let entra: EntraLoopback;
  before(async () => {
    emulator = await startPartnerCenterEmulator({ deviceCode: { intervalSeconds: 1, expiresInSeconds: 30 } });
    entra = entraLoopback(emulator);
  });
  after(() => emulator.close());

  const config = (tokenCacheFile: string): PartnerCenterConfig => ({
    tenantId: emulator.tenantId,
    clientId: emulator.client.clientId,
    clientSecret: emulator.client.clientSecret,
    tokenCacheFile,
    authorityHost: entra.authorityHost,
    apiBaseUrl: emulator.referralsBaseUrl,
    webhooksBaseUrl: emulator.webhooksBaseUrl,
    webhookCertificateHosts: ['localhost'],
  });

  /** The admin: reads the code the command printed and approves it at the emulator's sign-in page. */
  async function admin(io: { err: string }, form: Record<string, unknown> = {}, decline = false): Promise<void> {
    for (let i = 0; i < 200 && !/enter the code (\w+)/.test(io.err); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const [, , code] = /open the page (\S+) and enter the code (\w+)/.exec(io.err) ?? [];
    assert.ok(code, `no code printed:\n${io.err}`);
    if (decline) {
      assert.equal(emulator.control.auth.declineDeviceCode(code), true);
      return;
    }
    const page = /open the page (\S+)/.exec(io.err)![1];
    const response = await fetch(page, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_code: code, ...form }) });
    assert.equal(response.status, 200, await response.text());
  }

  it('signs in, stores the sign-in in the token cache file (0600), and says who and until when', async () => {
    const cacheFile = path.join(dir, 'nested', 'pc-token-cache.json');
    const io = capture();
    const [code] = await Promise.all([
      partnerCenterLogin(config(cacheFile), io, { fetch: entra.fetch, msal: entra.msal }),
      admin(io, { user: { userPrincipalName: 'dana.admin@partner.example', displayName: 'Dana Admin' } }),
    ]);
    assert.equal(code, 0, io.err);
    assert.match(io.err, /Sign in as a user with the Referrals admin role/);
    assert.match(io.out, /^Signed in as Dana Admin <dana\.admin@partner\.example> \(tenant [0-9a-f-]+\) at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.$/m);
    assert.match(io.out, /Partner Center accepted the sign-in \(Referrals API, request-id \S+\)/);
    const until = /Access token valid until (\S+);/.exec(io.out)?.[1];
    assert.ok(until && Date.parse(until) > Date.now() + 30 * 60_000, io.out);
    assert.match(io.out, new RegExp(`Sign-in stored in ${cacheFile.replaceAll('.', '\\.')}`));
    assert.equal(statSync(cacheFile).mode & 0o777, 0o600);
    const cache = readFileSync(cacheFile, 'utf8');
    assert.match(cache, /"RefreshToken"/);
    assert.match(cache, /dana\.admin@partner\.example/);
    assert.ok(entra.requests.some((r) => r.endsWith('/oauth2/v2.0/devicecode')));

    // The connector, later and in another process: renews from the file and calls the Referrals API.
    const connector = new MsalTokenProvider({
      clientId: emulator.client.clientId,
      clientSecret: emulator.client.clientSecret,
      tenantId: emulator.tenantId,
      persistence: new FileCredentialPersistence(cacheFile),
      ...entra.msal,
    });
    await connector.getAccessToken({ forceRefresh: true });
    const client = new PartnerCenterClient({ tokenProvider: connector, referralsBaseUrl: emulator.referralsBaseUrl });
    assert.equal((await client.listReferrals({ top: 1 })).status, 200);
  });

  it('keeps the old sign-in when Partner Center refuses the new user (no Referrals role)', async () => {
    const cacheFile = path.join(dir, 'no-role.json');
    const io = capture();
    const [code] = await Promise.all([
      partnerCenterLogin(config(cacheFile), io, { fetch: entra.fetch, msal: entra.msal }),
      admin(io, { user: { userPrincipalName: 'sam@partner.example', roles: [] } }),
    ]);
    assert.equal(code, 1);
    assert.match(io.err, /Partner Center refused the signed-in user, so the stored sign-in was left as it was\..*Referrals admin role/s);
    assert.equal(existsSync(cacheFile), false);
    assert.equal(io.out, '');
  });

  it('reports a declined sign-in and a rejected client secret with the fix', async () => {
    const declined = capture();
    const [code] = await Promise.all([partnerCenterLogin(config(path.join(dir, 'declined.json')), declined, { fetch: entra.fetch, msal: entra.msal }), admin(declined, {}, true)]);
    assert.equal(code, 1);
    assert.match(declined.err, /declined .*Run the command again/);

    const wrongSecret = capture();
    const [secretCode] = await Promise.all([
      partnerCenterLogin({ ...config(path.join(dir, 'secret.json')), clientSecret: 'not-the-secret' }, wrongSecret, { fetch: entra.fetch, msal: entra.msal }),
      admin(wrongSecret),
    ]);
    assert.equal(secretCode, 1);
    assert.match(wrongSecret.err, /AADSTS7000215.*COSELL_PC_CLIENT_SECRET/s);
  });
});

describe('cosell partner-center (arguments and settings)', () => {
  it('lists its subcommand and shows the login help', async () => {
    const io = capture();
    assert.equal(await main(['partner-center', '--help'], io), 0);
    assert.match(io.out, /login +sign the connector in to Partner Center/);
    assert.equal(await main(['partner-center', 'login', '--help'], io), 0);
    assert.match(io.out, /Usage: cosell partner-center login/);
    assert.equal(await main(['partner-center', 'logout'], io), 2);
    assert.match(io.err, /unknown command "partner-center logout"/);
  });

  it('names each missing setting and how to set it', async () => {
    const saved = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('COSELL_PC_')));
    for (const key of Object.keys(saved)) delete process.env[key];
    try {
      const io = capture();
      assert.equal(await main(['partner-center', 'login'], io), 2);
      for (const variable of ['COSELL_PC_TENANT_ID', 'COSELL_PC_CLIENT_ID', 'COSELL_PC_CLIENT_SECRET', 'COSELL_PC_TOKEN_CACHE_FILE']) {
        assert.match(io.err, new RegExp(`set ${variable}`));
      }
      assert.doesNotMatch(io.err, /COSELL_SF_|syncRequestSecret/, 'Salesforce settings are not needed to sign in to Partner Center');
    } finally {
      Object.assign(process.env, saved);
    }
  });
});

describe('loadPartnerCenterConfig', () => {
  const env = {
    COSELL_PC_TENANT_ID: 'tenant',
    COSELL_PC_CLIENT_ID: 'app',
    COSELL_PC_CLIENT_SECRET: 'app-secret',
    COSELL_PC_TOKEN_CACHE_FILE: path.join(dir, 'cache.json'),
  };

  it('needs only the Partner Center settings, with the defaults filled in', () => {
    const config = loadPartnerCenterConfig({ env });
    assert.equal(config.clientSecret, 'app-secret');
    assert.equal(config.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(config.apiBaseUrl, 'https://api.partner.microsoft.com/v1.0/engagements');
  });

  it('refuses a malformed authority and a token cache inside the repository, naming the setting', () => {
    assert.throws(() => loadPartnerCenterConfig({ env: { ...env, COSELL_PC_AUTHORITY_HOST: 'login.example' } }), /Setting "partnerCenter\.authorityHost" .*set COSELL_PC_AUTHORITY_HOST/);
    const inside = path.join(fileURLToPath(new URL('../../../', import.meta.url)), 'var', 'pc-token.json');
    assert.throws(() => loadPartnerCenterConfig({ env: { ...env, COSELL_PC_TOKEN_CACHE_FILE: inside } }), /"partnerCenter\.tokenCacheFile" is .*inside the repository/);
  });
});
