/** How the Partner Center client gets a bearer token; production uses MSAL, the sandbox the emulator. */

/** Scope for the Partner Center Referrals API (resource https://api.partner.microsoft.com, "Referrals API authentication"). */
export const PARTNER_CENTER_SCOPE = 'https://api.partner.microsoft.com/.default';

/**
 * Scope for the Partner Center webhooks API, a different resource: "Partner Center webhooks" → Authentication,
 * "Acquire an access token to access https://api.partnercenter.microsoft.com". A token for one resource is not
 * valid for the other, so each call names the scope it needs.
 */
export const PARTNER_CENTER_WEBHOOKS_SCOPE = 'https://api.partnercenter.microsoft.com/.default';

export interface AccessTokenOptions {
  /**
   * Set after the API answered 401 to a token the provider still considered valid (revoked or rotated server-side).
   */
  forceRefresh?: boolean;
  /** The resource the token is for; default PARTNER_CENTER_SCOPE. */
  scope?: string;
}

export interface TokenProvider {
  /**
   * A valid access token for `options.scope`.
   * Throws `AuthorizationError` for problems an admin must fix and `RetryableError` for transient ones.
   */
  getAccessToken(options?: AccessTokenOptions): Promise<string>;
}

/**
 * Where the long-lived credential survives a restart. For MSAL this is the serialized token cache (it holds the
 * refresh token, which MSAL does not expose directly); keep it in a secret store or an encrypted file.
 */
export interface CredentialPersistence {
  load(): Promise<string | undefined>;
  save(serialized: string): Promise<void>;
}

/** In-memory persistence, for tests and the sandbox. */
export class MemoryCredentialPersistence implements CredentialPersistence {
  value: string | undefined;
  saves = 0;

  constructor(initial?: string) {
    this.value = initial;
  }

  async load(): Promise<string | undefined> {
    return this.value;
  }

  async save(serialized: string): Promise<void> {
    this.value = serialized;
    this.saves += 1;
  }
}
