/**
 * The connector's Partner Center side pointed at the local emulator: the production client and signature check,
 * with the emulator's token endpoint and certificate authority. Sandbox wiring, so it lives here and not in the
 * connector (which ships without the stand-ins).
 */
import type { WebhookTrust } from '../../connector/partner-center/webhook-verifier.js';
import { PartnerCenterClient } from '../../connector/partner-center/client.js';
import { EmulatorTokenProvider } from './emulator-token-provider.js';
import { MemoryCredentialPersistence } from '../../connector/partner-center/token-provider.js';
import type { PartnerCenterEmulator } from '../partner-center/emulator.js';

/** Where a connector finds the Partner Center emulator; serialisable, so a connector in a child process can use it. */
export interface EmulatorEndpoint {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** What an admin's sign-in would store: a refresh token for a Referrals admin (single-use in the emulator). */
  refreshToken: string;
  referralsBaseUrl: string;
  webhooksBaseUrl: string;
}

export type ClientTuning = Partial<Pick<ConstructorParameters<typeof PartnerCenterClient>[0], 'retry' | 'timeoutMs'>>;

/** The production client and token provider, pointed at the emulator. */
export function emulatorEndpointClient(endpoint: EmulatorEndpoint, tuning: ClientTuning = {}): PartnerCenterClient {
  return new PartnerCenterClient({
    tokenProvider: new EmulatorTokenProvider({
      tokenUrl: endpoint.tokenUrl,
      clientId: endpoint.clientId,
      clientSecret: endpoint.clientSecret,
      persistence: new MemoryCredentialPersistence(endpoint.refreshToken),
    }),
    referralsBaseUrl: endpoint.referralsBaseUrl,
    webhooksBaseUrl: endpoint.webhooksBaseUrl,
    ...tuning,
  });
}

/** The emulator's endpoint with a fresh admin sign-in: its refresh tokens are single-use, so one per client. */
export function emulatorEndpoint(emulator: PartnerCenterEmulator): EmulatorEndpoint {
  return {
    tokenUrl: emulator.tokenUrl,
    clientId: emulator.client.clientId,
    clientSecret: emulator.client.clientSecret,
    refreshToken: emulator.control.auth.issueRefreshToken(),
    referralsBaseUrl: emulator.referralsBaseUrl,
    webhooksBaseUrl: emulator.webhooksBaseUrl,
  };
}

export function emulatorPartnerCenterClient(emulator: PartnerCenterEmulator, tuning: ClientTuning = {}): PartnerCenterClient {
  return emulatorEndpointClient(emulatorEndpoint(emulator), tuning);
}

/**
 * The emulator signs with a leaf issued by an intermediate of its local root and serves both over plain http on
 * loopback. Only the root is trusted: the intermediate is fetched through the leaf's CA Issuers URL, and the issuer
 * organisation is checked, as against Microsoft's chain (the emulator's organisation instead of Microsoft's).
 */
export function emulatorWebhookTrust(emulator: PartnerCenterEmulator): WebhookTrust {
  return {
    allowedCertificateHosts: [],
    insecureLoopbackHosts: [new URL(emulator.certificateUrl).host],
    trustedRoots: [emulator.certificateAuthorityPem],
    expectedIssuer: { organization: 'Partner Center Emulator' },
  };
}
