/**
 * A loopback stand-in for the Microsoft Entra ID token endpoint, limited to what a long-running App+User
 * service does: exchange a refresh token for an access token (refresh_token grant). Tokens are opaque random
 * strings. Errors use Entra's OAuth2 error body (`error`, `error_description` with the AADSTS code,
 * `error_codes`), so the connector's error mapping is exercised on the real shapes.
 *
 * Stricter than Entra on purpose: a refresh token is single-use (rotated on every grant), so a connector that
 * fails to keep the newest refresh token breaks in tests instead of months later in production.
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** The Partner Center roles that may use the Referrals API (shared/reference/partner-center-api.md). */
export const REFERRAL_ROLES = ['Referrals admin', 'Referrals user', 'Global admin'] as const;

export interface SandboxUser {
  objectId: string;
  userPrincipalName: string;
  displayName: string;
  roles: string[];
}

interface Grant {
  user: SandboxUser;
  clientId: string;
  expiresAt: number;
}

export interface TokenIssuerOptions {
  tenantId: string;
  clients: { clientId: string; clientSecret: string }[];
  now: () => Date;
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
}

export interface OAuthErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
}

export class OAuthError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: OAuthErrorBody,
  ) {
    super(body.error_description);
  }
}

const opaque = () => randomBytes(32).toString('base64url');
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export class TokenIssuer {
  readonly #options: TokenIssuerOptions;
  readonly #refreshTokens = new Map<string, Grant>();
  readonly #revoked = new Set<string>();
  readonly #accessTokens = new Map<string, Grant>();
  #accessLifetime: number;

  constructor(options: TokenIssuerOptions) {
    this.#options = options;
    this.#accessLifetime = options.accessTokenLifetimeSeconds;
  }

  #error(statusCode: number, error: string, code: number, description: string): OAuthError {
    return new OAuthError(statusCode, {
      error,
      error_description: `AADSTS${code}: ${description}`,
      error_codes: [code],
      timestamp: this.#options.now().toISOString(),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    });
  }

  /** What an admin's interactive sign-in would leave behind: a refresh token for that user. */
  issueRefreshToken(user: Partial<SandboxUser> = {}, clientId = this.#options.clients[0]?.clientId ?? ''): string {
    const token = opaque();
    this.#refreshTokens.set(token, {
      user: {
        objectId: user.objectId ?? randomUUID(),
        userPrincipalName: user.userPrincipalName ?? 'referrals.admin@partner.example',
        displayName: user.displayName ?? 'Referrals Admin',
        roles: user.roles ?? ['Referrals admin'],
      },
      clientId,
      expiresAt: this.#options.now().getTime() + this.#options.refreshTokenLifetimeSeconds * 1000,
    });
    return token;
  }

  revokeRefreshTokens(): void {
    for (const token of this.#refreshTokens.keys()) this.#revoked.add(token);
    this.#refreshTokens.clear();
  }

  expireAccessTokens(): void {
    this.#accessTokens.clear();
  }

  setAccessTokenLifetime(seconds: number): void {
    this.#accessLifetime = seconds;
  }

  /** Handles a token endpoint POST (form fields already parsed). */
  grant(form: Record<string, string | undefined>): Record<string, unknown> {
    const client = this.#options.clients.find((c) => c.clientId === form.client_id);
    if (!client) throw this.#error(400, 'unauthorized_client', 700016, `Application with identifier '${form.client_id}' was not found in the directory.`);
    if (form.client_secret !== client.clientSecret) {
      throw this.#error(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.');
    }
    if (form.grant_type !== 'refresh_token') {
      throw this.#error(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.grant_type}'.`);
    }
    const presented = form.refresh_token ?? '';
    if (this.#revoked.has(presented)) {
      throw this.#error(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.');
    }
    const grant = this.#refreshTokens.get(presented);
    if (!grant) throw this.#error(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    const now = this.#options.now().getTime();
    if (grant.expiresAt <= now) {
      this.#refreshTokens.delete(presented);
      throw this.#error(400, 'invalid_grant', 700082, 'The refresh token has expired due to inactivity.');
    }
    this.#refreshTokens.delete(presented);
    this.#revoked.add(presented);

    const refreshToken = opaque();
    this.#refreshTokens.set(refreshToken, { ...grant, expiresAt: now + this.#options.refreshTokenLifetimeSeconds * 1000 });
    const accessToken = opaque();
    this.#accessTokens.set(accessToken, { ...grant, expiresAt: now + this.#accessLifetime * 1000 });

    const { tenantId } = this.#options;
    const seconds = Math.floor(now / 1000);
    const scopes = (form.scope ?? '').split(' ').filter(Boolean);
    const response: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scopes.filter((s) => !['openid', 'profile', 'offline_access'].includes(s)).join(' ') || 'https://api.partner.microsoft.com/user_impersonation',
      expires_in: this.#accessLifetime,
      ext_expires_in: this.#accessLifetime,
      access_token: accessToken,
      refresh_token: refreshToken,
    };
    if (scopes.includes('openid')) {
      // Unsigned (alg none): the emulator is not an identity provider; clients only read the claims.
      const claims = {
        aud: client.clientId,
        iss: `https://login.microsoftonline.com/${tenantId}/v2.0`,
        iat: seconds,
        nbf: seconds,
        exp: seconds + this.#accessLifetime,
        oid: grant.user.objectId,
        sub: grant.user.objectId,
        tid: tenantId,
        name: grant.user.displayName,
        preferred_username: grant.user.userPrincipalName,
        ver: '2.0',
      };
      response.id_token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
    }
    if (form.client_info === '1') response.client_info = b64url({ uid: grant.user.objectId, utid: tenantId });
    return response;
  }

  /** Resolves a bearer token presented to the API; undefined when unknown or expired. */
  authenticate(accessToken: string): SandboxUser | undefined {
    const grant = this.#accessTokens.get(accessToken);
    if (!grant) return undefined;
    if (grant.expiresAt <= this.#options.now().getTime()) {
      this.#accessTokens.delete(accessToken);
      return undefined;
    }
    return grant.user;
  }
}
