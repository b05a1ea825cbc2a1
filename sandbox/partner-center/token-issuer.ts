/**
 * A loopback stand-in for the Microsoft Entra ID token endpoint, limited to what a long-running App+User
 * service does: an admin's one-time sign-in (device authorization grant: `/devicecode`, then polling the token
 * endpoint with the device code until the admin approves) and from then on exchanging a refresh token for an
 * access token (refresh_token grant). Tokens are opaque random strings. Errors use Entra's OAuth2 error body (`error`, `error_description` with the AADSTS code,
 * `error_codes`), so the connector's error mapping is exercised on the real shapes.
 *
 * Stricter than Entra on purpose: a refresh token is single-use (rotated on every grant), so a connector that
 * fails to keep the newest refresh token breaks in tests instead of months later in production.
 */
import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The two resources a Partner Center token can be issued for. "Referrals API authentication" names the Referrals
 * API resource https://api.partner.microsoft.com; "Partner Center webhooks" → Authentication: "Acquire an access
 * token to access https://api.partnercenter.microsoft.com". An access token is for one resource (its audience): a
 * token for one is refused by the other.
 */
export const AUDIENCES = Object.freeze({
  referrals: 'https://api.partner.microsoft.com',
  webhooks: 'https://api.partnercenter.microsoft.com',
});
export type Audience = keyof typeof AUDIENCES;

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
  /** Access tokens only: the resource the token was issued for. */
  audience?: Audience;
}

/** A pending device sign-in (v2-oauth2-device-code: the admin enters `userCode` at the verification page). */
interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  expiresAt: number;
  state: 'pending' | 'approved' | 'declined' | 'redeemed';
  user?: SandboxUser;
}

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceCodeResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  expires_in: number;
  interval: number;
  message: string;
}

export interface TokenIssuerOptions {
  tenantId: string;
  clients: { clientId: string; clientSecret: string }[];
  now: () => Date;
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  /** Device sign-in: how long a code is valid (Entra: 900 s) and the polling interval it asks for (Entra: 5 s). */
  deviceCode?: { expiresInSeconds?: number; intervalSeconds?: number };
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
// Entra's user codes are short, upper-case and unambiguous to type; this alphabet leaves out 0/O and 1/I.
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const userCode = () => Array.from(randomBytes(9), (b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('');
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export class TokenIssuer {
  readonly #options: TokenIssuerOptions;
  readonly #refreshTokens = new Map<string, Grant>();
  readonly #revoked = new Set<string>();
  readonly #accessTokens = new Map<string, Grant>();
  /** By device code; `#userCodes` maps the code the admin types to it. */
  readonly #devices = new Map<string, DeviceAuthorization>();
  readonly #userCodes = new Map<string, string>();
  /** Every refresh and access token handed out, for tests that prove none of them reaches a log. */
  readonly #issued: string[] = [];
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
    this.#issued.push(token);
    this.#refreshTokens.set(token, {
      user: sandboxUser(user),
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

  issuedTokens(): string[] {
    return [...this.#issued];
  }

  setAccessTokenLifetime(seconds: number): void {
    this.#accessLifetime = seconds;
  }

  #client(clientId: string | undefined): { clientId: string; clientSecret: string } {
    const client = this.#options.clients.find((c) => c.clientId === clientId);
    if (!client) throw this.#error(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`);
    return client;
  }

  /**
   * `POST /{tenant}/oauth2/v2.0/devicecode`: starts a device sign-in. Only the client id is sent here; the
   * sandbox app is a confidential client (no "Allow public client flows"), so redeeming the code needs its secret.
   */
  authorizeDevice(form: Record<string, string | undefined>, verificationUri: string): DeviceCodeResponse {
    const client = this.#client(form.client_id);
    if (!form.scope) throw this.#error(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
    const expiresIn = this.#options.deviceCode?.expiresInSeconds ?? 900;
    const device: DeviceAuthorization = {
      deviceCode: opaque(),
      userCode: userCode(),
      clientId: client.clientId,
      expiresAt: this.#options.now().getTime() + expiresIn * 1000,
      state: 'pending',
    };
    this.#devices.set(device.deviceCode, device);
    this.#userCodes.set(device.userCode, device.deviceCode);
    return {
      device_code: device.deviceCode,
      user_code: device.userCode,
      verification_uri: verificationUri,
      expires_in: expiresIn,
      interval: this.#options.deviceCode?.intervalSeconds ?? 5,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${device.userCode} to authenticate.`,
    };
  }

  /** The admin entered the code and signed in (default: a Referrals admin); false when the code is unknown or used. */
  approveDevice(code: string, user: Partial<SandboxUser> = {}): boolean {
    const device = this.#pendingDevice(code);
    if (!device) return false;
    device.state = 'approved';
    device.user = sandboxUser(user);
    return true;
  }

  declineDevice(code: string): boolean {
    const device = this.#pendingDevice(code);
    if (!device) return false;
    device.state = 'declined';
    return true;
  }

  #pendingDevice(code: string): DeviceAuthorization | undefined {
    const deviceCode = this.#userCodes.get(code.trim().toUpperCase().replaceAll('-', ''));
    const device = deviceCode ? this.#devices.get(deviceCode) : undefined;
    return device?.state === 'pending' && device.expiresAt > this.#options.now().getTime() ? device : undefined;
  }

  /** The device_code grant: an error per the documented polling states until the admin approved, then a grant. */
  #redeemDevice(form: Record<string, string | undefined>, clientId: string): Grant {
    const device = this.#devices.get(form.device_code ?? '');
    if (!device || device.clientId !== clientId || device.state === 'redeemed') {
      throw this.#error(400, 'bad_verification_code', 9002313, "The provided value for the input parameter 'device_code' is not valid.");
    }
    if (device.expiresAt <= this.#options.now().getTime()) {
      throw this.#error(400, 'expired_token', 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.");
    }
    if (device.state === 'declined') throw this.#error(400, 'authorization_declined', 70018, 'The user declined the authorization request.');
    if (device.state === 'pending') {
      throw this.#error(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
    }
    device.state = 'redeemed';
    return { user: device.user!, clientId, expiresAt: 0 };
  }

  /** Handles a token endpoint POST (form fields already parsed). */
  grant(form: Record<string, string | undefined>): Record<string, unknown> {
    const client = this.#client(form.client_id);
    if (form.client_secret === undefined && form.client_assertion === undefined) {
      throw this.#error(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (form.client_secret !== client.clientSecret) {
      throw this.#error(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.');
    }
    if (form.grant_type === DEVICE_CODE_GRANT) return this.#issue(this.#redeemDevice(form, client.clientId), client.clientId, form);
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
    return this.#issue(grant, client.clientId, form);
  }

  /**
   * The one resource the requested scopes name (Entra v2: `scope` is required, and one token covers one resource:
   * AADSTS28000 when the scopes name several, AADSTS500011 when the resource is unknown).
   */
  #audience(form: Record<string, string | undefined>): Audience {
    const scopes = (form.scope ?? '').split(' ').filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
    if (scopes.length === 0) throw this.#error(400, 'invalid_request', 90014, "The request body must contain the following parameter: 'scope'.");
    const audiences = new Set<Audience>();
    for (const scope of scopes) {
      const match = (Object.entries(AUDIENCES) as [Audience, string][]).find(([, resource]) => scope.startsWith(`${resource}/`));
      if (!match) throw this.#error(400, 'invalid_resource', 500011, `The resource principal named ${scope.replace(/\/[^/]*$/, '')} was not found in the tenant.`);
      audiences.add(match[0]);
    }
    if (audiences.size > 1) {
      throw this.#error(400, 'invalid_scope', 28000, 'Provided value for the input parameter scope is not valid because it contains more than one resource.');
    }
    return [...audiences][0];
  }

  /** A new access token for the requested resource and a new (rotated) refresh token for the grant's user. */
  #issue(grant: Grant, clientId: string, form: Record<string, string | undefined>): Record<string, unknown> {
    const audience = this.#audience(form);
    const now = this.#options.now().getTime();
    const refreshToken = opaque();
    this.#refreshTokens.set(refreshToken, { ...grant, audience: undefined, expiresAt: now + this.#options.refreshTokenLifetimeSeconds * 1000 });
    const accessToken = opaque();
    this.#issued.push(refreshToken, accessToken);
    this.#accessTokens.set(accessToken, { ...grant, audience, expiresAt: now + this.#accessLifetime * 1000 });

    const { tenantId } = this.#options;
    const seconds = Math.floor(now / 1000);
    const scopes = (form.scope ?? '').split(' ').filter(Boolean);
    const response: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scopes.filter((s) => !['openid', 'profile', 'offline_access'].includes(s)).join(' '),
      expires_in: this.#accessLifetime,
      ext_expires_in: this.#accessLifetime,
      access_token: accessToken,
      refresh_token: refreshToken,
    };
    if (scopes.includes('openid')) {
      // Unsigned (alg none): the emulator is not an identity provider; clients only read the claims.
      const claims = {
        aud: clientId,
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
  authenticate(accessToken: string): { user: SandboxUser; audience: Audience } | undefined {
    const grant = this.#accessTokens.get(accessToken);
    if (!grant?.audience) return undefined;
    if (grant.expiresAt <= this.#options.now().getTime()) {
      this.#accessTokens.delete(accessToken);
      return undefined;
    }
    return { user: grant.user, audience: grant.audience };
  }
}

function sandboxUser(user: Partial<SandboxUser>): SandboxUser {
  return {
    objectId: user.objectId ?? randomUUID(),
    userPrincipalName: user.userPrincipalName ?? 'referrals.admin@partner.example',
    displayName: user.displayName ?? 'Referrals Admin',
    roles: user.roles ?? ['Referrals admin'],
  };
}
