/**
 * Local Partner Center emulator: a fastify server on loopback implementing the documented Referrals and
 * webhook behaviour the connector relies on (see shared/reference/partner-center-api.md), plus a control API
 * (TypeScript and `/_emulator/...`) for tests, demos and benchmarks.
 */

import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { registerApiRoutes, requestIdHeaders } from './api-routes.js';
import { CA_PATH, CERTIFICATE_PATH, DEVICE_LOGIN_PATH, INTERMEDIATE_PATH, registerControlRoutes } from './control-routes.js';
import { EmulatorHttpError } from './errors.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { MicrosoftSeller } from './microsoft-seller.js';
import { ReferralStore } from './referral-store.js';
import { StatsRecorder, type EmulatorStats } from './stats.js';
import type { EmulatorControl } from './control.js';
import { createWebhookSigningCertificates, type WebhookSigningCertificates } from './test-certificates.js';
import { AUDIENCES, OAuthError, REFERRAL_ROLES, TokenIssuer, type Audience } from './token-issuer.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

/** The sandbox app registration the emulator knows; the sandbox connector config uses the same values. */
export const SANDBOX_CLIENT = Object.freeze({ clientId: 'cosell-sandbox-connector', clientSecret: 'sandbox-client-secret' });
export const SANDBOX_TENANT_ID = '00000000-0000-4000-8000-00000000c05e';

export interface PartnerCenterEmulatorOptions {
  port?: number;
  host?: string;
  seed?: number;
  faults?: Partial<FaultSettings>;
  /** Server page size for GET /referrals (Partner Center documents 100 as the maximum). */
  pageSize?: number;
  organization?: { id: string; name: string };
  tenantId?: string;
  clients?: { clientId: string; clientSecret: string }[];
  accessTokenLifetimeSeconds?: number;
  refreshTokenLifetimeSeconds?: number;
  /** Device sign-in (`cosell partner-center login`): code lifetime and the polling interval the emulator asks for. */
  deviceCode?: { expiresInSeconds?: number; intervalSeconds?: number };
  webhooks?: { maxAttempts?: number; retryBaseMs?: number; retryMaxMs?: number; deliveryTimeoutMs?: number };
}

export interface PartnerCenterEmulator {
  /** Origin of the emulator, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Base of the Referrals API, the counterpart of https://api.partner.microsoft.com/v1.0/engagements */
  referralsBaseUrl: string;
  /** Base of the webhook API, the counterpart of https://api.partnercenter.microsoft.com/webhooks/v1 */
  webhooksBaseUrl: string;
  tokenUrl: string;
  tenantId: string;
  client: { clientId: string; clientSecret: string };
  /**
   * PEM of the emulator's root CA: configure the connector to trust it. The signing certificate is issued by an
   * intermediate the connector is not given: it is fetched from `intermediateCertificateUrl`, which the signing
   * certificate names in its Authority Information Access extension.
   */
  certificateAuthorityPem: string;
  intermediateCertificateUrl: string;
  certificateUrl: string;
  control: EmulatorControl;
  stats(): EmulatorStats;
  close(): Promise<void>;
}

/** Which resource a route belongs to: the Referrals API or the webhooks API (see AUDIENCES). */
function routeAudience(url: string): Audience | undefined {
  if (url.startsWith('/v1.0/')) return 'referrals';
  if (url.startsWith('/webhooks/v1/')) return 'webhooks';
  return undefined;
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

export async function startPartnerCenterEmulator(options: PartnerCenterEmulatorOptions = {}): Promise<PartnerCenterEmulator> {
  const host = options.host ?? '127.0.0.1';
  const tenantId = options.tenantId ?? SANDBOX_TENANT_ID;
  let clockOffset = 0;
  const now = () => new Date(Date.now() + clockOffset);
  let origin = '';
  const faults = new FaultInjector(options.seed ?? 1, options.faults);
  const stats = new StatsRecorder();
  // Issued once the port is known: the signing certificate names its issuer's URL on this server.
  const pki: { certificates?: WebhookSigningCertificates } = {};
  const issued = () => {
    if (!pki.certificates) throw new Error('The emulator has not started yet');
    return pki.certificates;
  };

  const tokens = new TokenIssuer({
    tenantId,
    clients: options.clients ?? [{ ...SANDBOX_CLIENT }],
    now,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds ?? 90 * 24 * 3600,
    deviceCode: options.deviceCode,
  });
  const webhooks = new WebhookDispatcher({
    get signer() {
      return issued().signer;
    },
    baseUrl: () => origin,
    certificateUrl: () => `${origin}${CERTIFICATE_PATH}`,
    faults,
    stats,
    now,
    maxAttempts: options.webhooks?.maxAttempts ?? 10,
    retryBaseMs: options.webhooks?.retryBaseMs ?? 1000,
    retryMaxMs: options.webhooks?.retryMaxMs ?? 60_000,
    deliveryTimeoutMs: options.webhooks?.deliveryTimeoutMs ?? 5000,
  });
  const store = new ReferralStore({
    baseUrl: () => origin,
    organization: options.organization ?? { id: '11111111-2222-4333-8444-555555555555', name: 'Contoso Partner Ltd' },
    now,
    pageSize: options.pageSize ?? 100,
    // The notification carries the change's own time: the referral's new updatedDateTime.
    onChange: ({ event, referral }) => void webhooks.notify(event, store.referralUrl(referral.id!), referral.id!, undefined, referral.updatedDateTime),
  });
  const seller = new MicrosoftSeller(store, now);

  const app = Fastify({ logger: false, forceCloseConnections: true });
  const hanging = new Set<() => void>();

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addContentTypeParser('application/json-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'ignore'));

  /** A Microsoft seller's edit that overtakes a conditional write (faults.concurrentEditRate): the write gets 412. */
  const concurrentEdit = (request: FastifyRequest) => {
    if (request.method !== 'PATCH' && request.method !== 'PUT') return;
    if (!request.headers['if-match']) return;
    const id = /\/referrals\/([^/?]+)/.exec(request.url)?.[1];
    if (!id || !store.has(id) || !faults.chance(faults.settings.concurrentEditRate)) return;
    faults.injected.concurrentEdits += 1;
    seller.update(id, { notes: `Updated by a Microsoft seller (edit ${faults.injected.concurrentEdits}).` });
  };

  app.addHook('onRequest', async (request, reply) => {
    requestIdHeaders(request, reply);
    const expected = routeAudience(request.url);
    if (!expected) return;

    const token = bearer(request);
    const granted = token ? tokens.authenticate(token) : undefined;
    if (!granted) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new EmulatorHttpError(401, 'unauthenticated', token ? 'The access token is invalid or has expired.' : 'An Authorization Bearer token is required.');
    }
    if (granted.audience !== expected) {
      reply.header('www-authenticate', `Bearer error="invalid_token", error_description="The audience is invalid"`);
      throw new EmulatorHttpError(
        401,
        'unauthenticated',
        `The access token was issued for ${AUDIENCES[granted.audience]}; this API needs a token for ${AUDIENCES[expected]}.`,
      );
    }
    const user = granted.user;
    if (!user.roles.some((role) => (REFERRAL_ROLES as readonly string[]).includes(role))) {
      throw new EmulatorHttpError(403, 'accessDenied', `The user ${user.userPrincipalName} has none of the roles ${REFERRAL_ROLES.join(', ')} in Partner Center.`);
    }

    const delay = faults.latency();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const settings = faults.settings;
    const scripted = faults.nextScripted();
    if (scripted?.kind === 'rate-limit') {
      faults.injected.rateLimits += 1;
      throw new EmulatorHttpError(429, 'tooManyRequests', 'Rate limit is exceeded. Try again later.', undefined, {
        'retry-after': scripted.retryAfter ?? String(settings.retryAfterSeconds),
      });
    }
    if (scripted?.kind === 'server-error') {
      faults.injected.serverErrors += 1;
      throw new EmulatorHttpError(scripted.status ?? 503, 'serviceNotAvailable', 'The service is temporarily unavailable. Try the request again after a delay.');
    }
    if (scripted?.kind === 'timeout') {
      faults.injected.timeouts += 1;
      (request as FastifyRequest & { hang?: number }).hang = scripted.hangMs ?? settings.timeoutHangMs;
      return;
    }
    if (faults.chance(settings.rateLimitRate)) {
      faults.injected.rateLimits += 1;
      throw new EmulatorHttpError(429, 'tooManyRequests', 'Rate limit is exceeded. Try again later.', undefined, {
        'retry-after': String(settings.retryAfterSeconds),
      });
    }
    if (faults.chance(settings.serverErrorRate)) {
      faults.injected.serverErrors += 1;
      throw new EmulatorHttpError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Try the request again after a delay.');
    }
    if (faults.chance(settings.timeoutRate)) {
      faults.injected.timeouts += 1;
      (request as FastifyRequest & { hang?: number }).hang = settings.timeoutHangMs;
    }
    concurrentEdit(request);
  });

  // A "timeout" is processed and then answered too late: the client cannot tell whether the write happened.
  app.addHook('onSend', async (request) => {
    const hang = (request as FastifyRequest & { hang?: number }).hang;
    if (!hang) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, hang);
      function done() {
        clearTimeout(timer);
        hanging.delete(done);
        resolve();
      }
      hanging.add(done);
    });
  });

  app.addHook('onResponse', async (request, reply) => {
    stats.record(request.method, request.routeOptions.url ?? '(unmatched)', reply.statusCode);
  });

  app.setErrorHandler((error: FastifyError | EmulatorHttpError | OAuthError, _request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof EmulatorHttpError) return reply.code(error.statusCode).headers(error.headers).send(error.toBody());
    if (error instanceof OAuthError) return reply.code(error.statusCode).send(error.body);
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: 'invalidRequest', message: error.message } });
    }
    return reply.code(500).send({ error: { code: 'generalException', message: `Internal error: ${error.message}` } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'itemNotFound', message: `No route for ${request.method} ${request.url}.` } }),
  );

  const control: EmulatorControl = {
    faults: {
      get: () => ({ ...faults.settings }),
      set: (update) => faults.set(update),
      script: (...scripted) => faults.script(...scripted),
      injected: () => ({ ...faults.injected }),
      reset: () => faults.reset(),
      reseed: (seed) => faults.reseed(seed),
    },
    seller,
    auth: {
      issueRefreshToken: (user) => tokens.issueRefreshToken(user),
      revokeRefreshTokens: () => tokens.revokeRefreshTokens(),
      expireAccessTokens: () => tokens.expireAccessTokens(),
      setAccessTokenLifetime: (seconds) => tokens.setAccessTokenLifetime(seconds),
      approveDeviceCode: (userCode, user) => tokens.approveDevice(userCode, user),
      declineDeviceCode: (userCode) => tokens.declineDevice(userCode),
      issuedTokens: () => tokens.issuedTokens(),
    },
    webhooks: {
      registration: () => webhooks.registration,
      deliveries: () => webhooks.deliveries(),
      idle: () => webhooks.idle(),
      redeliverParked: () => webhooks.redeliverParked(),
      sign: (body) => webhooks.signBytes(Buffer.from(body)),
    },
    referrals: {
      get: (id) => store.get(id),
      all: () => store.all(),
      connectedReferralId: (id) => store.connectedReferralId(id),
    },
    clock: { now, advance: (ms) => void (clockOffset += ms) },
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
  };

  registerApiRoutes(app, { store, webhooks, tokens, verificationUri: () => `${origin}${DEVICE_LOGIN_PATH}` });
  registerControlRoutes(app, control, () => ({
    signerDer: issued().signer.certificateDer,
    intermediateDer: issued().intermediate.certificateDer,
    caPem: issued().authority.certificatePem,
  }));

  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('The emulator did not bind a TCP port');
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const certificates = (pki.certificates = createWebhookSigningCertificates(`${origin}${INTERMEDIATE_PATH}`));

  return {
    url: origin,
    referralsBaseUrl: `${origin}/v1.0/engagements`,
    webhooksBaseUrl: `${origin}/webhooks/v1`,
    tokenUrl: `${origin}/${tenantId}/oauth2/v2.0/token`,
    tenantId,
    client: { ...(options.clients?.[0] ?? SANDBOX_CLIENT) },
    certificateAuthorityPem: certificates.authority.certificatePem,
    intermediateCertificateUrl: `${origin}${INTERMEDIATE_PATH}`,
    certificateUrl: `${origin}${CERTIFICATE_PATH}`,
    control,
    stats: () => stats.snapshot(),
    close: async () => {
      webhooks.close();
      for (const release of [...hanging]) release();
      await app.close();
    },
  };
}

export { CA_PATH, CERTIFICATE_PATH };
