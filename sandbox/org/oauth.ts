/**
 * OAuth 2.0 as Salesforce's token endpoint does it: client credentials (an External Client App that runs as the
 * integration user), username-password and JWT bearer grants; responses carry access_token, instance_url, the
 * identity URL (`id`), token_type, issued_at and an HMAC-SHA256 signature of id + issued_at keyed by the client
 * secret. Errors are `{error, error_description}` with status 400.
 */
import { createHmac, createVerify, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OrgUser, Users } from './users.js';

export interface ClientApp {
  clientId: string;
  clientSecret: string;
  /** Username the client credentials flow runs as; without it the client cannot use that flow. */
  runAsUsername?: string;
  /** PEM public key (or certificate) that verifies JWT bearer assertions signed by this client. */
  jwtPublicKey?: string;
}

export interface TokenResponse {
  access_token: string;
  signature: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
}

export class OAuthError extends Error {
  constructor(readonly error: string, readonly description: string, readonly status = 400) {
    super(description);
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

interface Session {
  userId: string;
  clientId: string;
  expiresAt: number;
}

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Audiences a JWT bearer assertion may name: production, sandbox, or this local org's login URL. */
const KNOWN_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

export interface AuthOptions {
  orgId: string;
  users: Users;
  clients: ClientApp[];
  /** Session lifetime; Salesforce's default session timeout is two hours. */
  sessionTtlMs?: number;
  now?: () => number;
}

export class Auth {
  private readonly sessions = new Map<string, Session>();
  /** Every access token handed out, for tests that prove none of them reaches a log. */
  private readonly issued: string[] = [];
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(private readonly options: AuthOptions) {
    // Own copies: rotating a secret here must not change the caller's (possibly shared) client objects.
    this.options = { ...options, clients: options.clients.map((client) => ({ ...client })) };
    this.ttl = options.sessionTtlMs ?? 2 * 60 * 60_000;
    this.now = options.now ?? Date.now;
  }

  identityUrl(loginUrl: string, userId: string): string {
    return `${loginUrl}/id/${this.options.orgId}/${userId}`;
  }

  /** Handles a token request (form fields plus an optional HTTP Basic client authentication). */
  token(params: Record<string, string | undefined>, basic: { id: string; secret: string } | null, urls: { instanceUrl: string; loginUrl: string }): TokenResponse {
    const grant = params.grant_type;
    const clientId = basic?.id ?? params.client_id;
    const clientSecret = basic?.secret ?? params.client_secret;
    let user: OrgUser;
    let client: ClientApp;
    switch (grant) {
      case 'client_credentials': {
        client = this.client(clientId);
        this.checkSecret(client, clientSecret);
        const runAs = client.runAsUsername ? this.options.users.byUsername(client.runAsUsername) : undefined;
        if (!runAs) throw new OAuthError('invalid_grant', 'no client credentials user enabled');
        user = runAs;
        break;
      }
      case 'password': {
        client = this.client(clientId);
        this.checkSecret(client, clientSecret);
        const candidate = this.options.users.byUsername(params.username ?? '');
        if (!candidate?.password || !safeEqual(candidate.password, params.password ?? '')) {
          throw new OAuthError('invalid_grant', 'authentication failure');
        }
        user = candidate;
        break;
      }
      case JWT_BEARER: {
        const verified = this.verifyAssertion(params.assertion ?? '', urls.loginUrl);
        client = verified.client;
        user = verified.user;
        break;
      }
      default:
        throw new OAuthError('unsupported_grant_type', 'grant type not supported');
    }
    return this.issue(user, client, urls);
  }

  /** The user behind a bearer token, or null when the token is unknown, revoked or expired. */
  verify(token: string | undefined): OrgUser | null {
    if (!token) return null;
    const session = this.sessions.get(token);
    if (!session) return null;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(token);
      return null;
    }
    return this.options.users.byId(session.userId) ?? null;
  }

  revoke(token: string): boolean {
    return this.sessions.delete(token);
  }

  /** Ends every session, as an admin revoking access or a session timeout does; clients must log in again. */
  expireAll(): void {
    this.sessions.clear();
  }

  /** An admin rotating an External Client App's consumer secret: logins with the old one fail from now on. */
  setClientSecret(clientId: string, clientSecret: string): void {
    this.client(clientId).clientSecret = clientSecret;
  }

  issuedTokens(): string[] {
    return [...this.issued];
  }

  private issue(user: OrgUser, client: ClientApp, urls: { instanceUrl: string; loginUrl: string }): TokenResponse {
    const accessToken = `${this.options.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    const issuedAt = String(this.now());
    const id = this.identityUrl(urls.loginUrl, user.id);
    this.issued.push(accessToken);
    this.sessions.set(accessToken, { userId: user.id, clientId: client.clientId, expiresAt: this.now() + this.ttl });
    return {
      access_token: accessToken,
      signature: createHmac('sha256', client.clientSecret).update(id + issuedAt).digest('base64'),
      scope: 'api',
      instance_url: urls.instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  }

  private client(clientId: string | undefined): ClientApp {
    const client = this.options.clients.find((c) => c.clientId === clientId);
    if (!client) throw new OAuthError('invalid_client_id', 'client identifier invalid');
    return client;
  }

  private checkSecret(client: ClientApp, secret: string | undefined): void {
    if (!secret || !safeEqual(client.clientSecret, secret)) throw new OAuthError('invalid_client', 'invalid client credentials');
  }

  /** RS256 JWT: iss = client id, sub = username, aud = login host, exp in the future (Salesforce allows 3 minutes). */
  private verifyAssertion(assertion: string, loginUrl: string): { client: ClientApp; user: OrgUser } {
    const parts = assertion.split('.');
    if (parts.length !== 3) throw new OAuthError('invalid_grant', 'invalid assertion');
    let header: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      throw new OAuthError('invalid_grant', 'invalid assertion');
    }
    if (header.alg !== 'RS256') throw new OAuthError('invalid_grant', 'invalid assertion');
    const client = this.options.clients.find((c) => c.clientId === claims.iss);
    if (!client) throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (!client.jwtPublicKey) throw new OAuthError('invalid_grant', 'invalid assertion');
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${parts[0]}.${parts[1]}`);
    if (!verifier.verify(client.jwtPublicKey, Buffer.from(parts[2], 'base64url'))) throw new OAuthError('invalid_grant', 'invalid assertion');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((a) => a && [...KNOWN_AUDIENCES, loginUrl].includes(a.replace(/\/$/, '')))) {
      throw new OAuthError('invalid_grant', 'audience is invalid');
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) throw new OAuthError('invalid_grant', 'expired authorization code');
    const user = this.options.users.byUsername(claims.sub ?? '');
    if (!user) throw new OAuthError('invalid_grant', 'user hasn\'t approved this consumer');
    return { client, user };
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The identity service's answer for a user (GET /id/{orgId}/{userId}). */
export function identity(user: OrgUser, orgId: string, instanceUrl: string, loginUrl: string, lastModified: string): Record<string, unknown> {
  const id = `${loginUrl}/id/${orgId}/${user.id}`;
  return {
    id,
    asserted_user: true,
    user_id: user.id,
    organization_id: orgId,
    username: user.username,
    nick_name: user.alias,
    display_name: user.name,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: 'GMT',
    photos: { picture: `${instanceUrl}/profilephoto/005/F`, thumbnail: `${instanceUrl}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: identityUrls(instanceUrl, orgId, user.id),
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    last_modified_date: lastModified,
    is_app_installed: true,
  };
}

/** The OpenID Connect UserInfo answer (GET /services/oauth2/userinfo). */
export function userInfo(user: OrgUser, orgId: string, instanceUrl: string, loginUrl: string, lastModified: string): Record<string, unknown> {
  return {
    sub: `${loginUrl}/id/${orgId}/${user.id}`,
    user_id: user.id,
    organization_id: orgId,
    preferred_username: user.username,
    nickname: user.alias,
    name: user.name,
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: 'GMT',
    photos: { picture: `${instanceUrl}/profilephoto/005/F`, thumbnail: `${instanceUrl}/profilephoto/005/T` },
    profile: `${instanceUrl}/${user.id}`,
    picture: `${instanceUrl}/profilephoto/005/F`,
    address: {},
    urls: identityUrls(instanceUrl, orgId, user.id),
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    updated_at: lastModified,
    is_app_installed: true,
  };
}

function identityUrls(instanceUrl: string, orgId: string, userId: string): Record<string, string> {
  const data = `${instanceUrl}/services/data/v{version}`;
  return {
    enterprise: `${instanceUrl}/services/Soap/c/{version}/${orgId}`,
    metadata: `${instanceUrl}/services/Soap/m/{version}/${orgId}`,
    partner: `${instanceUrl}/services/Soap/u/{version}/${orgId}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${instanceUrl}/services/Soap/T/{version}/${orgId}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${instanceUrl}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: instanceUrl,
  };
}
