/**
 * Partner Center's webhook check as one function for the HTTP edge to call: which certificate hosts and
 * roots are trusted is decided once at start-up (live: Microsoft's host and the configured roots; sandbox: the
 * emulator's loopback host and its local CA), so the same verification code runs everywhere.
 */
import {
  CertificateCache,
  verifyWebhookSignature,
  type DistinguishedNameMatch,
  type VerificationFailure,
} from './webhook-signature.js';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The answer for one delivery. The HTTP edge states the same shape as what it needs (http/types.ts); the service
 * hands this verifier to it, so the compiler checks they fit without either adapter importing the other.
 * `retryable`: the check could not be made (certificate host unreachable), so Partner Center should redeliver.
 */
export type WebhookCheck = { ok: true } | { ok: false; reason: VerificationFailure; message: string; retryable: boolean };

export interface WebhookTrust {
  allowedCertificateHosts: readonly string[];
  /** Plain-http loopback hosts (host:port) — only the sandbox emulator uses this. */
  insecureLoopbackHosts?: readonly string[];
  trustedRoots: readonly string[];
  intermediates?: readonly string[];
  /** Where the signing certificate's issuer may be fetched from (its CA Issuers URL); default Microsoft's PKI hosts. */
  issuerCertificateHosts?: readonly string[];
  expectedIssuer?: DistinguishedNameMatch;
  expectedSubject?: DistinguishedNameMatch;
}

/** The certificate could not be fetched: not the sender's fault, so Partner Center should deliver again. */
const RETRYABLE: ReadonlySet<VerificationFailure> = new Set(['certificate-unavailable']);

export function createWebhookVerifier(trust: WebhookTrust, options: { now?: () => Date; fetchCertificate?: (url: URL) => Promise<Uint8Array> } = {},
): (input: { rawBody: Buffer; headers: IncomingHttpHeaders }) => Promise<WebhookCheck> {
  // One cache per connector: a burst of deliveries costs one certificate download.
  const cache = new CertificateCache();
  return async ({ rawBody, headers }) => {
    const result = await verifyWebhookSignature(
      { rawBody, headers },
      {
        allowedCertificateHosts: trust.allowedCertificateHosts,
        insecureLoopbackHosts: trust.insecureLoopbackHosts,
        trustedRoots: trust.trustedRoots,
        intermediates: trust.intermediates,
        issuerCertificateHosts: trust.issuerCertificateHosts,
        expectedIssuer: trust.expectedIssuer,
        expectedSubject: trust.expectedSubject,
        cache,
        now: options.now,
        fetchCertificate: options.fetchCertificate,
      },
    );
    if (result.valid) return { ok: true };
    return { ok: false, reason: result.reason, message: result.detail, retryable: RETRYABLE.has(result.reason) };
  };
}
