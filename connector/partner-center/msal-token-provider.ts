/**
 * Production token provider: Microsoft Entra ID App+User credentials through @azure/msal-node.
 *
 * The Referrals API needs delegated (App+User) tokens for a user in the Referrals admin role. A long-running
 * service signs that user in once (device code flow, `cosell partner-center login`) and from then on
 * renews silently with the refresh token. MSAL keeps the refresh token inside its token cache and rotates it; the
 * cache plugin below writes every change through `CredentialPersistence`, so a restart resumes with the latest
 * refresh token instead of a stale one. `acquireTokenSilent` renews the access token before it expires
 * (MSAL's default renewal offset is 5 minutes).
 */
import {
  ConfidentialClientApplication,
  InteractionRequiredAuthError,
  ServerError,
  type AccountInfo,
  type AuthenticationResult,
  type Configuration,
  type ICachePlugin,
  type INetworkModule,
  type TokenCacheContext,
} from '@azure/msal-node';
import { AuthorizationError, RetryableError } from './errors.js';
import { PARTNER_CENTER_SCOPE, type AccessTokenOptions, type CredentialPersistence, type TokenProvider } from './token-provider.js';

export interface MsalTokenProviderOptions {
  clientId: string;
  /** Client secret of the Entra app registration (or use `clientCertificate`). */
  clientSecret?: string;
  clientCertificate?: { thumbprintSha256: string; privateKey: string; x5c?: string };
  tenantId: string;
  /** Default https://login.microsoftonline.com (sovereign clouds differ). */
  authorityHost?: string;
  persistence: CredentialPersistence;
  /** Pick this user when the cache holds several accounts (e.g. after a re-sign-in as someone else). */
  username?: string;
  scopes?: string[];
  /** MSAL extension points, e.g. a proxy-aware HTTP client. */
  networkClient?: INetworkModule;
  /** Skip Entra discovery calls (needed when the authority is not reachable for discovery, e.g. in tests). */
  authorityMetadata?: string;
  cloudDiscoveryMetadata?: string;
}

/** MSAL/Entra error codes that mean the stored sign-in can no longer be used: an admin must sign in again. */
const SIGN_IN_AGAIN = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required', 'no_tokens_found', 'bad_token']);
const BAD_CLIENT = new Set(['invalid_client', 'unauthorized_client', 'invalid_resource']);

function persistencePlugin(persistence: CredentialPersistence): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      const serialized = await persistence.load();
      if (serialized) context.tokenCache.deserialize(serialized);
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (context.cacheHasChanged) await persistence.save(context.tokenCache.serialize());
    },
  };
}

export class MsalTokenProvider implements TokenProvider {
  readonly #app: ConfidentialClientApplication;
  readonly #options: MsalTokenProviderOptions;
  readonly #scopes: string[];

  constructor(options: MsalTokenProviderOptions) {
    if (!options.clientSecret && !options.clientCertificate) {
      throw new AuthorizationError('The Partner Center app registration has no client secret or certificate configured.', 'invalid-client');
    }
    this.#options = options;
    this.#scopes = options.scopes ?? [PARTNER_CENTER_SCOPE];
    const configuration: Configuration = {
      auth: {
        clientId: options.clientId,
        authority: `${options.authorityHost ?? 'https://login.microsoftonline.com'}/${options.tenantId}`,
        clientSecret: options.clientSecret,
        clientCertificate: options.clientCertificate,
        authorityMetadata: options.authorityMetadata,
        cloudDiscoveryMetadata: options.cloudDiscoveryMetadata,
      },
      cache: { cachePlugin: persistencePlugin(options.persistence) },
      system: options.networkClient ? { networkClient: options.networkClient } : undefined,
    };
    this.#app = new ConfidentialClientApplication(configuration);
  }

  /** Step 1 of the admin sign-in (authorization code flow): the URL to open in a browser. */
  getSignInUrl(redirectUri: string, state?: string): Promise<string> {
    return this.#app.getAuthCodeUrl({ scopes: this.#scopes, redirectUri, state, prompt: 'select_account' });
  }

  /** Step 2 of the admin sign-in: redeem the code; the refresh token lands in the persisted cache. */
  async completeSignIn(code: string, redirectUri: string): Promise<AccountInfo> {
    const result = await this.#wrap(() => this.#app.acquireTokenByCode({ code, redirectUri, scopes: this.#scopes }));
    if (!result.account) throw new AuthorizationError('The sign-in returned no account.', 'sign-in-required');
    return result.account;
  }

  /**
   * Imports a refresh token obtained elsewhere (e.g. migrating from the Power Automate solution's stored
   * connection); MSAL caches the account and the rotated refresh token it receives.
   */
  async importRefreshToken(refreshToken: string): Promise<AccountInfo> {
    const result = await this.#wrap(() =>
      this.#app.acquireTokenByRefreshToken({ refreshToken, scopes: this.#scopes, forceCache: true }),
    );
    if (!result?.account) throw new AuthorizationError('The refresh token did not identify a user.', 'sign-in-required');
    return result.account;
  }

  async #account(): Promise<AccountInfo> {
    const accounts = await this.#app.getTokenCache().getAllAccounts();
    const wanted = this.#options.username?.toLowerCase();
    const account = wanted ? accounts.find((a) => a.username.toLowerCase() === wanted) : accounts[0];
    if (!account) {
      throw new AuthorizationError(
        wanted ? `No stored Partner Center sign-in for ${this.#options.username}.` : 'No Partner Center sign-in is stored for the connector.',
        'sign-in-required',
      );
    }
    return account;
  }

  /** Who the stored sign-in belongs to and until when its current access token is valid (renewed silently). */
  async signedIn(): Promise<{ account: AccountInfo; expiresOn: Date | null }> {
    const account = await this.#account();
    const result = await this.#wrap(() => this.#app.acquireTokenSilent({ account, scopes: this.#scopes }));
    return { account: result.account ?? account, expiresOn: result.expiresOn };
  }

  /** MSAL keeps one access token per resource in its cache and renews each from the same refresh token. */
  async getAccessToken(options: AccessTokenOptions = {}): Promise<string> {
    const account = await this.#account();
    const scopes = options.scope ? [options.scope] : this.#scopes;
    const result = await this.#wrap(() => this.#app.acquireTokenSilent({ account, scopes, forceRefresh: options.forceRefresh ?? false }));
    return result.accessToken;
  }

  async #wrap(call: () => Promise<AuthenticationResult | null>): Promise<AuthenticationResult> {
    let result: AuthenticationResult | null;
    try {
      result = await call();
    } catch (error) {
      throw mapMsalError(error);
    }
    if (!result?.accessToken) throw new AuthorizationError('Microsoft Entra ID returned no access token.', 'sign-in-required');
    return result;
  }
}

export function mapMsalError(error: unknown): Error {
  if (error instanceof AuthorizationError || error instanceof RetryableError) return error;
  const code = (error as { errorCode?: string }).errorCode ?? '';
  const detail = (error as { errorMessage?: string }).errorMessage || (error as Error).message;
  if (error instanceof InteractionRequiredAuthError || SIGN_IN_AGAIN.has(code)) {
    return new AuthorizationError(`The stored Partner Center sign-in is no longer valid (${detail}).`, 'sign-in-required', { cause: error });
  }
  if (BAD_CLIENT.has(code)) {
    return new AuthorizationError(`Microsoft Entra ID rejected the connector app (${detail}).`, 'invalid-client', { cause: error });
  }
  if (error instanceof ServerError) {
    // Entra answered with an error we do not recognise as permanent: keep the work queued and retry later.
    return new RetryableError(`Microsoft Entra ID token request failed (${code}: ${detail}).`, { cause: error });
  }
  return new RetryableError(`Could not reach Microsoft Entra ID for a token (${detail}).`, { cause: error });
}
