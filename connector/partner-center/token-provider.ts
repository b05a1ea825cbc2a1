/** How the Partner Center client gets a bearer token; production uses MSAL, the sandbox the emulator. */

/** Scope for the Partner Center Referrals API (resource https://api.partner.microsoft.com). */
export const PARTNER_CENTER_SCOPE = 'https://api.partner.microsoft.com/.default';

export interface TokenProvider {
  /**
   * A valid access token. `forceRefresh` is set after the API answered 401 to a token the provider still
   * considered valid (revoked or rotated server-side).
   * Throws `AuthorizationError` for problems an admin must fix and `RetryableError` for transient ones.
   */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
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
