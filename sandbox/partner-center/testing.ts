/** Helpers for tests and demos that talk to the emulator over real loopback HTTP. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Referral, WebhookNotification } from './referral-model.js';
import type { PartnerCenterEmulator } from './emulator.js';
import { AUDIENCES, type Audience, type SandboxUser } from './token-issuer.js';

/** An outgoing co-sell referral that passes validation; override what a test is about. */
export function sampleReferral(overrides: Partial<Referral> = {}): Referral {
  return {
    name: 'Contoso data platform',
    externalReferenceId: '006000000000001AAA',
    type: 'Shared',
    qualification: 'SalesQualified',
    customerProfile: {
      name: 'Fabrikam Inc',
      address: { addressLine1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      team: [{ firstName: 'Sue', lastName: 'Smith', email: 'sue.smith@fabrikam.example' }],
    },
    consent: { consentToContact: true, consentToShareReferralWithMicrosoftSellers: true },
    details: {
      notes: 'Wants a PoC',
      dealValue: 25_000,
      currency: 'EUR',
      closingDateTime: '2030-06-30T00:00:00Z',
      requirements: { solutions: [{ id: 'SOL-34104-EBB', name: 'Contoso Data Platform' }] },
    },
    team: [{ firstName: 'Pat', lastName: 'Seller', email: 'pat.seller@contoso.example' }],
    inviteContext: { assistanceRequestCode: 'ProofOfConceptOrDemo', notes: 'Need help with a PoC' },
    ...overrides,
  };
}

/** Runs the refresh_token grant against the emulator, as the sandbox connector would, for one of the two APIs. */
export async function signIn(emulator: PartnerCenterEmulator, user?: Partial<SandboxUser>, audience: Audience = 'referrals'): Promise<string> {
  const refreshToken = emulator.control.auth.issueRefreshToken(user);
  const response = await fetch(emulator.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: emulator.client.clientId,
      client_secret: emulator.client.clientSecret,
      refresh_token: refreshToken,
      scope: `${AUDIENCES[audience]}/.default offline_access`,
    }),
  });
  const json = (await response.json()) as { access_token?: string };
  if (!json.access_token) throw new Error(`sign-in failed: ${JSON.stringify(json)}`);
  return json.access_token;
}

// Tests assert on response bodies structurally; a loose default type keeps those assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseJson = any;

export interface ApiReply<T = LooseJson> {
  status: number;
  headers: Headers;
  body: T;
}

/** A minimal authenticated HTTP helper for emulator tests. */
export function apiClient(emulator: PartnerCenterEmulator, token: string) {
  return async <T = LooseJson>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiReply<T>> => {
    const response = await fetch(path.startsWith('http') ? path : `${emulator.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

export interface ReceivedWebhook {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  json: WebhookNotification;
}

/** A loopback webhook callback that records raw bodies; `respond` picks the status per delivery (1-based). */
export async function startWebhookReceiver(respond: (count: number) => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  let count = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      count += 1;
      const rawBody = Buffer.concat(chunks);
      received.push({ rawBody, headers: request.headers, json: JSON.parse(rawBody.toString('utf8')) });
      response.statusCode = respond(count);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/partner-center`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // do not wait for the emulator's idle keep-alive sockets
      }),
  };
}

/**
 * A value as the other end of the wire reads it: JSON out, JSON in. The emulator's types are its own reading of
 * the docs; code that hands emulator data to the connector states the boundary with this instead of sharing types.
 */
export function overTheWire<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
