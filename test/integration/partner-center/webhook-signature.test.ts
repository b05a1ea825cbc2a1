import assert from 'node:assert/strict';
import { createSign } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { issueCertificate, type IssuedCertificate } from '../../../sandbox/partner-center/test-certificates.js';
import {
  CertificateCache,
  MICROSOFT_WEBHOOK_CERTIFICATE_HOST,
  verifyWebhookSignature,
  type VerificationResult,
  type WebhookVerificationOptions,
} from '../../../connector/partner-center/webhook-signature.js';

const CERT_URL = `https://${MICROSOFT_WEBHOOK_CERTIFICATE_HOST}/cert/pcnotifications-dispatch.microsoft.com.cer`;
const BODY = Buffer.from(
  JSON.stringify({
    EventName: 'referral-updated',
    ResourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/4111fffc-f9ee-4d53-bba6-569135228642',
    ResourceName: '4111fffc-f9ee-4d53-bba6-569135228642',
    AuditUri: null,
    ResourceChangeUtcDate: '2021-06-28T10:00:00+00:00',
  }),
  'utf8',
);

const sign = (body: Buffer, signer: IssuedCertificate) => createSign('RSA-SHA256').update(body).sign(signer.privateKey, 'base64');

describe('verifyWebhookSignature', () => {
  let root: IssuedCertificate;
  let intermediate: IssuedCertificate;
  let leaf: IssuedCertificate;
  let otherRoot: IssuedCertificate;
  let strangerLeaf: IssuedCertificate;
  let expiredLeaf: IssuedCertificate;

  before(() => {
    root = issueCertificate({ subject: { CN: 'Test Root', O: 'Test PKI' }, isCertificateAuthority: true });
    intermediate = issueCertificate({ subject: { CN: 'Test Issuing CA', O: 'Microsoft Corporation' }, isCertificateAuthority: true }, root);
    leaf = issueCertificate({ subject: { CN: 'pcnotifications-dispatch.microsoft.com', O: 'Microsoft Corporation' } }, intermediate);
    otherRoot = issueCertificate({ subject: { CN: 'Other Root', O: 'Elsewhere' }, isCertificateAuthority: true });
    strangerLeaf = issueCertificate({ subject: { CN: 'pcnotifications-dispatch.microsoft.com', O: 'Microsoft Corporation' } }, otherRoot);
    expiredLeaf = issueCertificate(
      { subject: { CN: 'pcnotifications-dispatch.microsoft.com', O: 'Microsoft Corporation' }, notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') },
      intermediate,
    );
  });

  /** Serves `served` as the .cer at any URL and counts downloads. */
  function options(served: IssuedCertificate, overrides: Partial<WebhookVerificationOptions> = {}) {
    const downloads: string[] = [];
    const opts: WebhookVerificationOptions = {
      trustedRoots: [root.certificatePem],
      intermediates: [intermediate.certificatePem],
      expectedSubject: { commonName: 'pcnotifications-dispatch.microsoft.com' },
      expectedIssuer: { organization: 'Microsoft Corporation' },
      cache: new CertificateCache(),
      fetchCertificate: async (url) => {
        downloads.push(url.href);
        return served.certificateDer;
      },
      ...overrides,
    };
    return { opts, downloads };
  }

  function headers(signature: string, overrides: Record<string, string | undefined> = {}) {
    return {
      'content-type': 'application/json',
      authorization: `Signature ${signature}`,
      'x-ms-certificate-url': CERT_URL,
      'x-ms-signature-algorithm': 'rsa-sha256',
      ...overrides,
    };
  }

  const reason = (result: VerificationResult) => (result.valid ? 'valid' : result.reason);

  it('without the intermediate in advance, fetches the issuer from the leaf\'s CA Issuers URL on Microsoft\'s PKI host only', async () => {
    const issuerUrl = 'http://www.microsoft.com/pkiops/certs/Test%20Issuing%20CA.crt';
    const aiaLeaf = issueCertificate({ subject: { CN: 'pcnotifications-dispatch.microsoft.com', O: 'Microsoft Corporation' }, caIssuersUrl: issuerUrl }, intermediate);
    const downloads: string[] = [];
    const served = (url: URL) => (downloads.push(url.href), url.href === issuerUrl ? intermediate.certificateDer : aiaLeaf.certificateDer);
    const opts = { ...options(aiaLeaf).opts, intermediates: [], fetchCertificate: async (url: URL) => served(url) };
    const request = { rawBody: BODY, headers: headers(sign(BODY, aiaLeaf)) };
    const result = await verifyWebhookSignature(request, opts);
    assert.equal(result.valid, true, JSON.stringify(result));
    assert.deepEqual(downloads, [CERT_URL, issuerUrl]);
    assert.equal((await verifyWebhookSignature(request, opts)).valid, true);
    assert.equal(downloads.length, 2, 'leaf and issuer are cached');

    // Before this change the default list of intermediates was empty and real deliveries failed as untrusted-chain.
    const elsewhere = issueCertificate({ subject: { CN: 'pcnotifications-dispatch.microsoft.com', O: 'Microsoft Corporation' }, caIssuersUrl: 'http://evil.example/ca.crt' }, intermediate);
    const fetched: string[] = [];
    const refused = await verifyWebhookSignature(
      { rawBody: BODY, headers: headers(sign(BODY, elsewhere)) },
      { ...opts, cache: new CertificateCache(), fetchCertificate: async (url) => (fetched.push(url.href), url.href === CERT_URL ? elsewhere.certificateDer : intermediate.certificateDer) },
    );
    assert.equal(reason(refused), 'untrusted-chain');
    assert.match(refused.valid ? '' : refused.detail, /CA Issuers URL http:\/\/evil\.example is not on the allow-list \(www\.microsoft\.com, caissuers\.microsoft\.com\)/);
    assert.deepEqual(fetched, [CERT_URL], 'an issuer off the allow-list is never fetched');
  });

  it('accepts a correctly signed body and caches the certificate by URL', async () => {
    const { opts, downloads } = options(leaf);
    const first = await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf)) }, opts);
    assert.equal(first.valid, true, JSON.stringify(first));
    assert.ok(first.valid && first.certificate.subject.includes('CN=pcnotifications-dispatch.microsoft.com'));
    const second = await verifyWebhookSignature({ rawBody: BODY, headers: new Headers(headers(sign(BODY, leaf))) }, opts);
    assert.equal(second.valid, true);
    assert.deepEqual(downloads, [CERT_URL]);
  });

  it('accepts the signature in x-ms-signature and a PEM certificate', async () => {
    const { opts } = options(leaf, { fetchCertificate: async () => Buffer.from(leaf.certificatePem) });
    const result = await verifyWebhookSignature(
      { rawBody: BODY, headers: headers('', { authorization: undefined, 'x-ms-signature': `Signature ${sign(BODY, leaf)}` }) },
      opts,
    );
    assert.equal(result.valid, true, JSON.stringify(result));
  });

  it('rejects a signature made with another key', async () => {
    const { opts } = options(leaf);
    assert.equal(reason(await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, strangerLeaf)) }, opts)), 'signature-mismatch');
  });

  it('rejects a body altered by one byte', async () => {
    const { opts } = options(leaf);
    const altered = Buffer.from(BODY);
    altered[10] ^= 0x01;
    assert.equal(reason(await verifyWebhookSignature({ rawBody: altered, headers: headers(sign(BODY, leaf)) }, opts)), 'signature-mismatch');
  });

  it('rejects missing or malformed headers without fetching anything', async () => {
    const { opts, downloads } = options(leaf);
    const signature = sign(BODY, leaf);
    const cases: [Record<string, string | undefined>, string][] = [
      [{ authorization: undefined }, 'missing-signature'],
      [{ authorization: 'Bearer abc' }, 'malformed-signature'],
      [{ authorization: 'Signature not*base64' }, 'malformed-signature'],
      [{ 'x-ms-certificate-url': undefined }, 'missing-certificate-url'],
      [{ 'x-ms-signature-algorithm': undefined }, 'missing-algorithm'],
    ];
    for (const [override, expected] of cases) {
      assert.equal(reason(await verifyWebhookSignature({ rawBody: BODY, headers: headers(signature, override) }, opts)), expected, JSON.stringify(override));
    }
    assert.deepEqual(downloads, []);
  });

  it('rejects an algorithm other than rsa-sha256', async () => {
    const { opts } = options(leaf);
    const result = await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf), { 'x-ms-signature-algorithm': 'rsa-sha1' }) }, opts);
    assert.equal(reason(result), 'unsupported-algorithm');
  });

  it('refuses certificate URLs on a foreign host, over http, or with credentials', async () => {
    const { opts, downloads } = options(leaf);
    for (const url of [
      'https://evil.example/cert/pcnotifications-dispatch.microsoft.com.cer',
      `https://${MICROSOFT_WEBHOOK_CERTIFICATE_HOST}.evil.example/cert/x.cer`,
      `http://${MICROSOFT_WEBHOOK_CERTIFICATE_HOST}/cert/x.cer`,
      `https://user:pw@${MICROSOFT_WEBHOOK_CERTIFICATE_HOST}/cert/x.cer`,
      'http://127.0.0.1:8080/cert.cer',
      'not a url',
    ]) {
      const result = await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf), { 'x-ms-certificate-url': url }) }, opts);
      assert.equal(reason(result), 'certificate-url-not-allowed', url);
    }
    assert.deepEqual(downloads, []);
  });

  it('allows plain http only for an explicitly configured loopback host', async () => {
    const { opts } = options(leaf, { insecureLoopbackHosts: ['127.0.0.1:8080'] });
    const ok = await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf), { 'x-ms-certificate-url': 'http://127.0.0.1:8080/cert.cer' }) }, opts);
    assert.equal(ok.valid, true, JSON.stringify(ok));
    await assert.rejects(
      verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf)) }, { ...opts, insecureLoopbackHosts: ['partner.example'] }),
      /only name loopback hosts/,
    );
  });

  it('rejects an expired certificate', async () => {
    const { opts } = options(expiredLeaf);
    assert.equal(reason(await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, expiredLeaf)) }, opts)), 'certificate-expired');
    const { opts: future } = options(leaf, { now: () => new Date(Date.now() - 24 * 3600_000) });
    assert.equal(reason(await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf)) }, future)), 'certificate-not-yet-valid');
  });

  it('rejects a certificate that does not chain to a trusted root', async () => {
    const { opts } = options(strangerLeaf);
    assert.equal(reason(await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, strangerLeaf)) }, opts)), 'untrusted-chain');
    const { opts: noIntermediate } = options(leaf, { intermediates: [] });
    assert.equal(reason(await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf)) }, noIntermediate)), 'untrusted-chain');
  });

  it('rejects an unexpected subject or issuer', async () => {
    const { opts } = options(leaf, { expectedSubject: { commonName: 'someone-else.example' } });
    assert.equal(reason(await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf)) }, opts)), 'subject-mismatch');
    const { opts: issuer } = options(leaf, { expectedIssuer: { organization: 'Contoso' } });
    assert.equal(reason(await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf)) }, issuer)), 'subject-mismatch');
  });

  it('reports an unreachable or unparseable certificate', async () => {
    const { opts } = options(leaf, { fetchCertificate: async () => { throw new Error('ECONNREFUSED'); } });
    assert.equal(reason(await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf)) }, opts)), 'certificate-unavailable');
    const { opts: garbage } = options(leaf, { fetchCertificate: async () => Buffer.from('not a certificate') });
    assert.equal(reason(await verifyWebhookSignature({ rawBody: BODY, headers: headers(sign(BODY, leaf)) }, garbage)), 'certificate-invalid');
  });
});
