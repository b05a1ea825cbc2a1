/**
 * Sandbox-only token provider for the local Partner Center emulator's OAuth2 endpoint (refresh_token grant).
 *
 * Why not MSAL here too: MSAL Node refuses an authority that is not https (ClientConfigurationError
 * `authority_uri_insecure`) and performs Entra instance discovery, so it cannot talk to a plain-http loopback
 * token endpoint. Production always uses `MsalTokenProvider`.
 */
import { AuthorizationError, RetryableError } from '../../connector/partner-center/errors.js';
import { PARTNER_CENTER_SCOPE, type AccessTokenOptions, type CredentialPersistence, type TokenProvider } from '../../connector/partner-center/token-provider.js';

export interface EmulatorTokenProviderOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Holds the latest refresh token; the emulator rotates it on every grant. */
  persistence: CredentialPersistence;
  /** Default scope, when a call names none. */
  scope?: string;
  /** Renew this long before the access token expires. */
  renewBeforeMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

export class EmulatorTokenProvider implements TokenProvider {
  readonly #options: EmulatorTokenProviderOptions;
  /** One access token per resource (scope). */
  readonly #accessTokens = new Map<string, { value: string; expiresAt: number }>();
  readonly #pending = new Map<string, Promise<string>>();
  /** Refreshes run one after another, whatever the scope: refresh tokens are single-use and rotate on each grant. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: EmulatorTokenProviderOptions) {
    this.#options = options;
  }

  async getAccessToken(options: AccessTokenOptions = {}): Promise<string> {
    const scope = options.scope ?? this.#options.scope ?? PARTNER_CENTER_SCOPE;
    const now = (this.#options.now ?? Date.now)();
    const renewBefore = this.#options.renewBeforeMs ?? 300_000;
    const cached = this.#accessTokens.get(scope);
    if (!options.forceRefresh && cached && now < cached.expiresAt - renewBefore) return cached.value;
    let pending = this.#pending.get(scope);
    if (!pending) {
      pending = this.#queue.then(() => this.#refresh(scope)).finally(() => this.#pending.delete(scope));
      this.#queue = pending.catch(() => undefined);
      this.#pending.set(scope, pending);
    }
    return pending;
  }

  async #refresh(scope: string): Promise<string> {
    const { persistence, tokenUrl, clientId, clientSecret } = this.#options;
    const refreshToken = await persistence.load();
    if (!refreshToken) throw new AuthorizationError('No Partner Center sign-in is stored for the sandbox connector.', 'sign-in-required');
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: refreshToken,
      scope: `${scope} offline_access`,
    });
    let response: Response;
    let json: TokenResponse;
    try {
      response = await (this.#options.fetch ?? fetch)(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      json = (await response.json()) as TokenResponse;
    } catch (error) {
      throw new RetryableError(`Could not reach the token endpoint ${tokenUrl} (${(error as Error).message}).`, { cause: error });
    }
    if (!response.ok || !json.access_token) {
      const detail = `${json.error ?? response.status}: ${json.error_description ?? 'no description'}`;
      if (json.error === 'invalid_grant') throw new AuthorizationError(`The stored sign-in is no longer valid (${detail}).`, 'sign-in-required');
      if (json.error === 'invalid_client' || json.error === 'unauthorized_client') {
        throw new AuthorizationError(`The token endpoint rejected the connector app (${detail}).`, 'invalid-client');
      }
      throw new RetryableError(`The token endpoint failed (${detail}).`);
    }
    if (json.refresh_token) await persistence.save(json.refresh_token);
    const now = (this.#options.now ?? Date.now)();
    this.#accessTokens.set(scope, { value: json.access_token, expiresAt: now + (json.expires_in ?? 3600) * 1000 });
    return json.access_token;
  }
}
