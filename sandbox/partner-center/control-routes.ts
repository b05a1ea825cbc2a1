/**
 * `/_emulator/...`: HTTP access to the control API for the demo and for benchmarks run out of process.
 * Not part of Partner Center; never authenticated, never faulted.
 */
import type { FastifyInstance } from 'fastify';
import type { FaultSettings } from './faults.js';
import type { EmulatorControl } from './control.js';
import type { SellerUpdate, ShareReferralInput } from './microsoft-seller.js';
import type { SandboxUser } from './token-issuer.js';
import { invalidRequest } from './errors.js';

export const CERTIFICATE_PATH = '/_emulator/certificates/pcnotifications-dispatch.cer';
export const CA_PATH = '/_emulator/certificates/ca.pem';
/** The issuing CA's certificate (DER), as a CA Issuers URL serves it; the emulator's stand-in for Microsoft's PKI host. */
export const INTERMEDIATE_PATH = '/_emulator/pki/partner-center-emulator-issuing-ca-01.crt';
/** The emulator's counterpart of https://microsoft.com/devicelogin, where an admin enters a sign-in code. */
export const DEVICE_LOGIN_PATH = '/_emulator/devicelogin';

const escapeHtml = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function registerControlRoutes(
  app: FastifyInstance,
  control: EmulatorControl,
  certificates: () => { signerDer: Buffer; intermediateDer: Buffer; caPem: string },
): void {
  app.get(CERTIFICATE_PATH, async (_request, reply) => reply.type('application/pkix-cert').send(certificates().signerDer));
  app.get(INTERMEDIATE_PATH, async (_request, reply) => reply.type('application/pkix-cert').send(certificates().intermediateDer));
  app.get(CA_PATH, async (_request, reply) => reply.type('application/x-pem-file').send(certificates().caPem));

  app.get('/_emulator/stats', async () => control.stats());
  app.post('/_emulator/stats/reset', async (_request, reply) => {
    control.resetStats();
    return reply.code(204).send();
  });

  app.get('/_emulator/faults', async () => control.faults.get());
  app.put('/_emulator/faults', async (request) => {
    try {
      return control.faults.set((request.body ?? {}) as Partial<FaultSettings>);
    } catch (error) {
      throw invalidRequest((error as Error).message);
    }
  });
  app.delete('/_emulator/faults', async (_request, reply) => {
    control.faults.reset();
    return reply.code(204).send();
  });

  // Device sign-in: a form for a person, and the same POST (form or JSON) for scripts; signs in a Referrals admin.
  app.get(DEVICE_LOGIN_PATH, async (_request, reply) =>
    reply
      .type('text/html')
      .send(
        `<!doctype html><title>Sign in (Partner Center emulator)</title><h1>Enter code</h1>` +
          `<form method="post"><input name="user_code" autofocus required><button>Sign in as a Referrals admin</button></form>`,
      ),
  );
  app.post<{ Body: { user_code?: string; user?: Partial<SandboxUser> } | undefined }>(DEVICE_LOGIN_PATH, async (request, reply) => {
    const code = String(request.body?.user_code ?? '');
    if (!control.auth.approveDeviceCode(code, request.body?.user)) throw invalidRequest(`The code "${code}" is unknown, expired or already used.`);
    return reply.type('text/html').send(`<!doctype html><title>Signed in</title><p>You have signed in. You may now close this window.</p>`);
  });

  app.post('/_emulator/auth/refresh-tokens', async (request) => ({
    refresh_token: control.auth.issueRefreshToken((request.body ?? {}) as Partial<SandboxUser>),
  }));

  const seller = '/_emulator/seller/referrals';
  app.post(seller, async (request, reply) => reply.code(201).send(control.seller.share((request.body ?? {}) as ShareReferralInput)));
  app.post<{ Params: { id: string } }>(`${seller}/:id/update`, async (request) =>
    control.seller.update(request.params.id, (request.body ?? {}) as SellerUpdate),
  );
  app.post<{ Params: { id: string }; Body: { microsoftMsxId?: string } | undefined }>(`${seller}/:id/accept`, async (request) =>
    control.seller.accept(request.params.id, request.body ?? {}),
  );
  app.post<{ Params: { id: string }; Body: { microsoftMsxId: string } }>(`${seller}/:id/crm-id`, async (request) =>
    control.seller.setMicrosoftCrmId(request.params.id, request.body.microsoftMsxId),
  );
  app.post<{ Params: { id: string }; Body: { substatus: 'Won' | 'Lost' | 'Declined'; statusReason?: string } }>(
    `${seller}/:id/close`,
    async (request) => control.seller.close(request.params.id, request.body.substatus, request.body.statusReason),
  );
  app.post<{ Params: { id: string } }>(`${seller}/:id/expire`, async (request) => control.seller.expire(request.params.id));
  app.post<{ Params: { id: string }; Body: { status?: 'None'; substatus?: 'None' } }>(`${seller}/:id/report`, async (request) =>
    control.seller.report(request.params.id, request.body ?? {}),
  );

  app.get('/_emulator/webhooks/deliveries', async () => control.webhooks.deliveries());
  app.post('/_emulator/webhooks/redeliver', async () => ({ requeued: control.webhooks.redeliverParked() }));

  // Stand-in for the Partner Center portal page a referral's portal link opens.
  app.get<{ Params: { id: string } }>('/_emulator/portal/referrals/:id', async (request, reply) => {
    const r = control.referrals.get(request.params.id);
    const rows = [
      ['Name', r.name],
      ['Customer', r.customerProfile?.name],
      ['Status', `${r.status} - ${r.substatus}`],
      ['Deal value', `${r.details?.dealValue ?? ''} ${r.details?.currency ?? ''}`],
      ['Microsoft CRM id', r.trackingInfo?.microsoftMsxId],
    ];
    const body = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
    return reply.type('text/html').send(`<!doctype html><title>${escapeHtml(r.name)}</title><h1>Referral ${escapeHtml(r.id)}</h1><table>${body}</table>`);
  });
}
