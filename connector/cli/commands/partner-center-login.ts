/**
 * The sign-in behind `cosell partner-center login`: Entra's device code flow (the admin approves from any browser,
 * so it works on a headless server), then MSAL takes the refresh token into the connector's token cache file, the
 * same cache the running connector renews from (config/partner-center.ts).
 */
import path from 'node:path';
import { FileCredentialPersistence } from '../../config/token-cache-file.js';
import type { PartnerCenterConfig } from '../../config/types.js';
import { PartnerCenterClient } from '../../partner-center/client.js';
import { SignInError, signInWithDeviceCode } from '../../partner-center/device-code-sign-in.js';
import { AuthorizationError, RetryableError, SIGN_IN_COMMAND } from '../../partner-center/errors.js';
import { MsalTokenProvider, type MsalTokenProviderOptions } from '../../partner-center/msal-token-provider.js';
import { MemoryCredentialPersistence } from '../../partner-center/token-provider.js';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from '../command.js';

/** Where the sign-in talks to; tests route Entra (MSAL and the device code requests) to the emulator. */
export interface LoginDeps {
  fetch?: typeof fetch;
  msal?: Pick<MsalTokenProviderOptions, 'networkClient' | 'authorityMetadata' | 'cloudDiscoveryMetadata'>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const iso = (date: Date | number) => new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function partnerCenterLogin(config: PartnerCenterConfig, io: CliIo, deps: LoginDeps = {}): Promise<number> {
  const now = deps.now ?? Date.now;
  const { tenantId, clientId, clientSecret, tokenCacheFile } = config as Required<PartnerCenterConfig>;
  io.stderr(`Signing in to Microsoft Entra ID (tenant ${tenantId}, app ${clientId}) for Partner Center.\n`);
  let refreshToken: string;
  try {
    ({ refreshToken } = await signInWithDeviceCode({
      authorityHost: config.authorityHost,
      tenantId,
      clientId,
      clientSecret,
      fetch: deps.fetch,
      sleep: deps.sleep,
      now,
      onPrompt: (prompt) =>
        io.stderr(`\n${prompt.message}\nSign in as a user with the Referrals admin role. Waiting (the code is valid for ${Math.round(prompt.expiresInSeconds / 60)} minutes)...\n\n`),
    }));
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    io.stderr(`${SIGN_IN_COMMAND}: ${error.message}\n`);
    return EXIT_FAILURE;
  }

  // A fresh cache: the new sign-in replaces the stored one, and only once Partner Center accepts it.
  const fresh = new MemoryCredentialPersistence();
  const msalOptions = (persistence: MsalTokenProviderOptions['persistence']): MsalTokenProviderOptions => ({
    clientId,
    clientSecret,
    tenantId,
    authorityHost: config.authorityHost,
    persistence,
    ...deps.msal,
  });
  const provider = new MsalTokenProvider(msalOptions(fresh));
  try {
    await provider.importRefreshToken(refreshToken);
  } catch (error) {
    io.stderr(`${SIGN_IN_COMMAND}: the sign-in could not be stored: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }

  let confirmed = '';
  try {
    const client = new PartnerCenterClient({ tokenProvider: provider, referralsBaseUrl: config.apiBaseUrl, webhooksBaseUrl: config.webhooksBaseUrl, fetch: deps.fetch });
    const page = await client.listReferrals({ top: 1 });
    confirmed = `Partner Center accepted the sign-in (Referrals API, request-id ${page.requestId ?? 'none'}).`;
  } catch (error) {
    if (error instanceof AuthorizationError) {
      io.stderr(`${SIGN_IN_COMMAND}: Partner Center refused the signed-in user, so the stored sign-in was left as it was. ${error.message}\n`);
      return EXIT_FAILURE;
    }
    if (!(error instanceof RetryableError)) throw error;
    // Entra's answer is what counts; an API outage must not make the admin sign in twice.
    confirmed = `Partner Center could not be reached to confirm the Referrals role (${error.message}); the connector will retry.`;
  }

  await new FileCredentialPersistence(tokenCacheFile).save(fresh.value!);
  const stored = await new MsalTokenProvider(msalOptions(new FileCredentialPersistence(tokenCacheFile))).signedIn();
  const who = stored.account.name ? `${stored.account.name} <${stored.account.username}>` : stored.account.username;
  io.stdout(
    `Signed in as ${who} (tenant ${stored.account.tenantId || tenantId}) at ${iso(now())}.\n` +
      `${confirmed}\n` +
      `Access token valid until ${stored.expiresOn ? iso(stored.expiresOn) : 'unknown'}; the connector renews it with the stored refresh token ` +
      `(Microsoft Entra ID ends a sign-in that goes unused for 90 days).\n` +
      `Sign-in stored in ${path.resolve(tokenCacheFile)} (readable only by this user).\n`,
  );
  return EXIT_OK;
}

