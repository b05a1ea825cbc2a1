/**
 * Authenticates a Partner Center webhook POST, following "Partner Center webhooks — How to authenticate the
 * callback" (learn.microsoft.com/partner-center/developer/partner-center-webhooks): require the
 * `Authorization: Signature <base64>`, `X-MS-Certificate-Url` and `X-MS-Signature-Algorithm` headers, fetch the
 * certificate, validate its chain and organization, and verify the RSA-SHA256 signature over the raw body.
 * (With `SignatureTokenToMsSignatureHeader` set on the registration the signature arrives in `x-ms-signature`
 * instead; both are accepted.)
 *
 * Never throws for a bad request: a forged or broken delivery yields `{ valid: false, reason }`.
 */
import { X509Certificate, createVerify } from 'node:crypto';

/**
 * Where Partner Center publishes its webhook signing certificate: the documented sample delivery carries
 * `X-MS-Certificate-Url: https://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer`
 * (learn.microsoft.com/partner-center/developer/partner-center-webhooks, "sample event").
 */
export const MICROSOFT_WEBHOOK_CERTIFICATE_HOST = '3psostorageacct.blob.core.windows.net';

/** The doc's signature-validation sample requires the certificate to be issued by "O=Microsoft Corporation". */
export const MICROSOFT_CERTIFICATE_ORGANIZATION = 'Microsoft Corporation';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const MAX_CERTIFICATE_BYTES = 64 * 1024;

export type VerificationFailure =
  | 'missing-signature'
  | 'malformed-signature'
  | 'missing-certificate-url'
  | 'missing-algorithm'
  | 'unsupported-algorithm'
  | 'certificate-url-not-allowed'
  | 'certificate-unavailable'
  | 'certificate-invalid'
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'untrusted-chain'
  | 'subject-mismatch'
  | 'signature-mismatch';

export type VerificationResult =
  | { valid: true; certificateUrl: string; certificate: { subject: string; issuer: string; fingerprint256: string; validTo: string } }
  | { valid: false; reason: VerificationFailure; detail: string };

export interface DistinguishedNameMatch {
  commonName?: string;
  organization?: string;
}

export interface WebhookVerificationOptions {
  /** Hosts the certificate may be fetched from over https. Default: Partner Center's certificate host. */
  allowedCertificateHosts?: readonly string[];
  /** Loopback hosts allowed over plain http: only for the sandbox emulator; non-loopback names are refused. */
  insecureLoopbackHosts?: readonly string[];
  /** PEM CA certificates the chain must end at. */
  trustedRoots: readonly string[];
  /** PEM intermediates used to build the chain (the fetched .cer holds only the leaf). */
  intermediates?: readonly string[];
  /** Required attributes of the leaf's subject. */
  expectedSubject?: DistinguishedNameMatch;
  /** Required attributes of the leaf's issuer. */
  expectedIssuer?: DistinguishedNameMatch;
  fetchCertificate?: (url: URL) => Promise<Uint8Array>;
  cache?: CertificateCache;
  now?: () => Date;
}

/** Production settings from the documentation; the caller adds the Microsoft roots/intermediates it trusts. */
export const PARTNER_CENTER_WEBHOOK_DEFAULTS = Object.freeze({
  allowedCertificateHosts: [MICROSOFT_WEBHOOK_CERTIFICATE_HOST] as readonly string[],
  expectedIssuer: { organization: MICROSOFT_CERTIFICATE_ORGANIZATION } as DistinguishedNameMatch,
});

export interface WebhookRequest {
  /** The body exactly as received: the signature covers these bytes. */
  rawBody: Uint8Array | string;
  headers: Headers | Record<string, string | string[] | undefined>;
}

/** Certificates by URL, so a burst of webhooks costs one download. Bounded in size and age. */
export class CertificateCache {
  readonly #entries = new Map<string, { certificate: X509Certificate; fetchedAt: number }>();

  constructor(
    readonly maxEntries = 8,
    readonly maxAgeMs = 3600_000,
  ) {}

  get(url: string, now: number): X509Certificate | undefined {
    const entry = this.#entries.get(url);
    if (!entry) return undefined;
    if (now - entry.fetchedAt > this.maxAgeMs) {
      this.#entries.delete(url);
      return undefined;
    }
    return entry.certificate;
  }

  set(url: string, certificate: X509Certificate, now: number): void {
    this.#entries.delete(url);
    this.#entries.set(url, { certificate, fetchedAt: now });
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

const defaultCache = new CertificateCache();

/** Downloads a certificate: no redirects (they could leave the allow-listed host), 5 s timeout, 64 KiB cap. */
export async function downloadCertificate(url: URL): Promise<Uint8Array> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`certificate download answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_CERTIFICATE_BYTES) throw new Error(`certificate is ${declared} bytes, over the ${MAX_CERTIFICATE_BYTES} limit`);
  const reader = response.body?.getReader();
  if (!reader) throw new Error('certificate download had no body');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_CERTIFICATE_BYTES) {
      await reader.cancel();
      throw new Error(`certificate is over the ${MAX_CERTIFICATE_BYTES} byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** Parses "CN=a\nO=b" (node:crypto's rendering) into attribute → values. */
function distinguishedName(rendered: string): Map<string, string[]> {
  const attributes = new Map<string, string[]>();
  for (const line of rendered.split('\n')) {
    const index = line.indexOf('=');
    if (index <= 0) continue;
    const key = line.slice(0, index).trim().toUpperCase();
    attributes.set(key, [...(attributes.get(key) ?? []), line.slice(index + 1).trim()]);
  }
  return attributes;
}

function matches(rendered: string, expected: DistinguishedNameMatch | undefined): boolean {
  if (!expected) return true;
  const dn = distinguishedName(rendered);
  if (expected.commonName !== undefined && !(dn.get('CN') ?? []).includes(expected.commonName)) return false;
  if (expected.organization !== undefined && !(dn.get('O') ?? []).includes(expected.organization)) return false;
  return true;
}

function validity(certificate: X509Certificate, now: Date): VerificationFailure | undefined {
  if (now.getTime() < Date.parse(certificate.validFrom)) return 'certificate-not-yet-valid';
  if (now.getTime() > Date.parse(certificate.validTo)) return 'certificate-expired';
  return undefined;
}

/** Walks leaf → intermediates → trusted root, checking issuer names, signatures, CA flags and validity. */
function chainsToTrustedRoot(leaf: X509Certificate, roots: X509Certificate[], intermediates: X509Certificate[], now: Date): string | undefined {
  let current = leaf;
  for (let depth = 0; depth < 6; depth += 1) {
    const root = roots.find((r) => r.fingerprint256 === current.fingerprint256 || (current.checkIssued(r) && current.verify(r.publicKey)));
    if (root) return validity(root, now) ? `trusted root ${root.subject.replace(/\n/g, ', ')} is not currently valid` : undefined;
    const issuer = intermediates.find((i) => i.ca && current.checkIssued(i) && current.verify(i.publicKey));
    if (!issuer) return `no trusted issuer for ${current.subject.replace(/\n/g, ', ')}`;
    if (validity(issuer, now)) return `intermediate ${issuer.subject.replace(/\n/g, ', ')} is not currently valid`;
    current = issuer;
  }
  return 'certificate chain is too long';
}

function checkCertificateUrl(raw: string, options: WebhookVerificationOptions): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `'${raw}' is not an absolute URL`;
  }
  if (url.username || url.password) return 'the certificate URL must not carry credentials';
  const allowed = (options.allowedCertificateHosts ?? [MICROSOFT_WEBHOOK_CERTIFICATE_HOST]).map((h) => h.toLowerCase());
  const hostMatches = (list: readonly string[]) => list.includes(url.host.toLowerCase()) || list.includes(url.hostname.toLowerCase());
  if (url.protocol === 'https:' && hostMatches(allowed)) return url;
  const insecure = (options.insecureLoopbackHosts ?? []).map((h) => h.toLowerCase());
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase()) && hostMatches(insecure)) return url;
  return `certificate URL ${url.origin} is not on the allow-list (${allowed.join(', ')})`;
}

function fail(reason: VerificationFailure, detail: string): VerificationResult {
  return { valid: false, reason, detail };
}

export async function verifyWebhookSignature(request: WebhookRequest, options: WebhookVerificationOptions): Promise<VerificationResult> {
  for (const host of options.insecureLoopbackHosts ?? []) {
    const name = host.replace(/:\d+$/, '').toLowerCase();
    if (!LOOPBACK_HOSTS.has(name)) throw new TypeError(`insecureLoopbackHosts may only name loopback hosts, got "${host}"`);
  }
  const now = (options.now ?? (() => new Date()))();

  const authorization = header(request.headers, 'authorization') ?? header(request.headers, 'x-ms-signature');
  if (!authorization) return fail('missing-signature', 'The Authorization: Signature header is missing.');
  const signatureMatch = /^Signature\s+([A-Za-z0-9+/]+={0,2})$/i.exec(authorization.trim());
  if (!signatureMatch) return fail('malformed-signature', "The signature header must be 'Signature <base64>'.");
  const certificateUrlHeader = header(request.headers, 'x-ms-certificate-url');
  if (!certificateUrlHeader) return fail('missing-certificate-url', 'The X-MS-Certificate-Url header is missing.');
  const algorithm = header(request.headers, 'x-ms-signature-algorithm');
  if (!algorithm) return fail('missing-algorithm', 'The X-MS-Signature-Algorithm header is missing.');
  if (algorithm.trim().toLowerCase() !== 'rsa-sha256') return fail('unsupported-algorithm', `Signature algorithm '${algorithm}' is not rsa-sha256.`);

  const url = checkCertificateUrl(certificateUrlHeader.trim(), options);
  if (typeof url === 'string') return fail('certificate-url-not-allowed', url);

  const cache = options.cache ?? defaultCache;
  let certificate = cache.get(url.href, now.getTime());
  if (!certificate) {
    let bytes: Uint8Array;
    try {
      bytes = await (options.fetchCertificate ?? downloadCertificate)(url);
    } catch (error) {
      return fail('certificate-unavailable', `Could not fetch ${url.href}: ${(error as Error).message}`);
    }
    try {
      certificate = new X509Certificate(Buffer.from(bytes));
    } catch (error) {
      return fail('certificate-invalid', `The certificate at ${url.href} could not be parsed: ${(error as Error).message}`);
    }
    cache.set(url.href, certificate, now.getTime());
  }

  const period = validity(certificate, now);
  if (period) return fail(period, `The signing certificate is valid from ${certificate.validFrom} to ${certificate.validTo}.`);
  let roots: X509Certificate[];
  let intermediates: X509Certificate[];
  try {
    roots = options.trustedRoots.map((pem) => new X509Certificate(pem));
    intermediates = (options.intermediates ?? []).map((pem) => new X509Certificate(pem));
  } catch (error) {
    throw new TypeError(`A configured trusted root or intermediate is not a valid certificate: ${(error as Error).message}`);
  }
  const chainProblem = chainsToTrustedRoot(certificate, roots, intermediates, now);
  if (chainProblem) return fail('untrusted-chain', `The signing certificate is not trusted: ${chainProblem}.`);
  if (!matches(certificate.subject, options.expectedSubject) || !matches(certificate.issuer, options.expectedIssuer)) {
    return fail('subject-mismatch', `Unexpected certificate subject '${certificate.subject.replace(/\n/g, ', ')}' / issuer '${certificate.issuer.replace(/\n/g, ', ')}'.`);
  }
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') return fail('certificate-invalid', 'The signing certificate does not hold an RSA key.');

  const body = typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : request.rawBody;
  const ok = createVerify('RSA-SHA256').update(body).verify(certificate.publicKey, Buffer.from(signatureMatch[1], 'base64'));
  if (!ok) return fail('signature-mismatch', 'The signature does not match the body.');
  return {
    valid: true,
    certificateUrl: url.href,
    certificate: { subject: certificate.subject, issuer: certificate.issuer, fingerprint256: certificate.fingerprint256, validTo: certificate.validTo },
  };
}
