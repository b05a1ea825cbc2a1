/**
 * MsalTokenProvider runs real MSAL against the emulator's token endpoint. MSAL only accepts an https authority,
 * so the authority stays https://login.microsoftonline.com and MSAL's own network extension point
 * (`system.networkClient`) carries its requests to the loopback emulator instead of the internet.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INetworkModule } from '@azure/msal-node';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from '../../../sandbox/partner-center/emulator.js';
import { entraLoopback, type EntraLoopback } from '../../../sandbox/partner-center/entra-loopback.js';
import { PartnerCenterClient } from '../../../connector/partner-center/client.js';
import { AuthorizationError } from '../../../connector/partner-center/errors.js';
import { MsalTokenProvider, type MsalTokenProviderOptions } from '../../../connector/partner-center/msal-token-provider.js';
import { MemoryCredentialPersistence } from '../../../connector/partner-center/token-provider.js';

/** The sandbox's Entra loopback, with every request MSAL makes checked to go to the configured authority. */
function checkedLoopback(emulator: PartnerCenterEmulator) {
  const loopback = entraLoopback(emulator);
  const inner = loopback.msal.networkClient;
  const checked = (url: string) => assert.equal(new URL(url).host, 'login.microsoftonline.com', 'MSAL only ever calls the configured authority');
  const networkClient: INetworkModule = {
    sendGetRequestAsync: (url, options) => (checked(url), inner.sendGetRequestAsync(url, options)),
    sendPostRequestAsync: (url, options) => (checked(url), inner.sendPostRequestAsync(url, options)),
  };
  return { ...loopback, msal: { ...loopback.msal, networkClient } };
}

describe('MsalTokenProvider (real MSAL, emulator token endpoint)', () => {
  let emulator: PartnerCenterEmulator;
  let network: EntraLoopback;

  before(async () => {
    emulator = await startPartnerCenterEmulator();
    network = checkedLoopback(emulator);
  });
  after(() => emulator.close());

  function provider(persistence: MemoryCredentialPersistence, overrides: Partial<MsalTokenProviderOptions> = {}) {
    return new MsalTokenProvider({
      clientId: emulator.client.clientId,
      clientSecret: emulator.client.clientSecret,
      tenantId: emulator.tenantId,
      persistence,
      ...network.msal,
      ...overrides,
    });
  }

  const pcClient = (tokenProvider: MsalTokenProvider) =>
    new PartnerCenterClient({ referralsBaseUrl: emulator.referralsBaseUrl, webhooksBaseUrl: emulator.webhooksBaseUrl, tokenProvider });

  it('signs in from a refresh token, persists the cache, and calls the API with the token', async () => {
    const persistence = new MemoryCredentialPersistence();
    const msal = provider(persistence);
    const account = await msal.importRefreshToken(emulator.control.auth.issueRefreshToken({ userPrincipalName: 'admin@contoso.example' }));
    assert.equal(account.username, 'admin@contoso.example');
    assert.ok(persistence.value?.includes('RefreshToken'), 'the refresh token is in the persisted cache');
    const page = await pcClient(msal).listReferrals();
    assert.equal(page.status, 200);
    assert.ok(network.requests.every((p) => p === `POST /${emulator.tenantId}/oauth2/v2.0/token`), network.requests.join());
  });

  it('after a restart renews with the latest (rotated) refresh token from persistence', async () => {
    const persistence = new MemoryCredentialPersistence();
    await provider(persistence).importRefreshToken(emulator.control.auth.issueRefreshToken());
    const firstRefresh = await provider(persistence).getAccessToken({ forceRefresh: true });
    // The emulator's refresh tokens are single-use: this only works if the rotated one was saved.
    const restarted = provider(persistence);
    const secondRefresh = await restarted.getAccessToken({ forceRefresh: true });
    assert.notEqual(firstRefresh, secondRefresh);
    assert.equal((await pcClient(restarted).listReferrals()).status, 200);
  });

  it('a revoked sign-in becomes AuthorizationError telling the admin to sign in again', async () => {
    const persistence = new MemoryCredentialPersistence();
    const msal = provider(persistence);
    await msal.importRefreshToken(emulator.control.auth.issueRefreshToken());
    emulator.control.auth.revokeRefreshTokens();
    const error = await msal.getAccessToken({ forceRefresh: true }).catch((e: unknown) => e);
    assert.ok(error instanceof AuthorizationError, String(error));
    assert.equal(error.reason, 'sign-in-required');
    assert.match(error.message, /cosell partner-center login/);
  });

  it('no stored sign-in and a wrong client secret are reported as admin-actionable errors', async () => {
    const none = await provider(new MemoryCredentialPersistence()).getAccessToken().catch((e: unknown) => e);
    assert.ok(none instanceof AuthorizationError);
    assert.equal(none.reason, 'sign-in-required');

    const badSecret = provider(new MemoryCredentialPersistence(), { clientSecret: 'wrong' });
    const error = await badSecret.importRefreshToken(emulator.control.auth.issueRefreshToken()).catch((e: unknown) => e);
    assert.ok(error instanceof AuthorizationError, String(error));
    assert.equal(error.reason, 'invalid-client');
  });
});
