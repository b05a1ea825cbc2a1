/**
 * What Test connection reports, from the running connector: its version, whether it is signed in to Partner Center
 * (a Partner Center call succeeds) and the webhook registration Partner Center holds for the tenant, compared with
 * the callback this connector expects. Register Partner Center webhooks points the four referral events here, as
 * `cosell register-webhooks` does.
 */
import type { ConnectionProbe, ConnectionStatus, PartnerCenterState } from './http/types.js';
import { AuthorizationError, PartnerCenterError, RetryableError } from './partner-center/errors.js';
import { REFERRAL_WEBHOOK_EVENTS, type WebhookRegistration } from './model/referral.js';

export interface WebhookRegistrar {
  getWebhookRegistration(): Promise<{ data: WebhookRegistration | undefined }>;
  registerWebhooks(url: string): Promise<unknown>;
}

export interface ProbeOptions {
  partnerCenter: WebhookRegistrar;
  /** Known once the server listens: the public URL (or the bound one) plus the webhook path. */
  expectedWebhookUrl: () => string;
  version: string;
  now?: () => number;
}

function failure(error: unknown): { state: PartnerCenterState; message: string } {
  if (error instanceof AuthorizationError) return { state: 'signed-out', message: error.message };
  if (error instanceof RetryableError) return { state: 'unreachable', message: `Partner Center is not answering (${error.message}); try again in a few minutes.` };
  if (error instanceof PartnerCenterError) {
    return { state: 'unreachable', message: `Partner Center refused the call: ${error.message}${error.requestId ? ` [request-id ${error.requestId}]` : ''}.` };
  }
  throw error;
}

export function connectionProbe(options: ProbeOptions): ConnectionProbe {
  const now = options.now ?? Date.now;
  const base = (expected: string) => ({ connectorVersion: options.version, expectedWebhookUrl: expected, checkedAt: new Date(now()).toISOString() });

  async function status(): Promise<ConnectionStatus> {
    const expected = options.expectedWebhookUrl();
    try {
      const { data } = await options.partnerCenter.getWebhookRegistration();
      const events = data?.WebhookEvents ?? [];
      const url = data?.WebhookUrl ?? '';
      const matches = url === expected && REFERRAL_WEBHOOK_EVENTS.every((event) => events.includes(event));
      return {
        ...base(expected),
        partnerCenterState: 'signed-in',
        partnerCenterSignedIn: true,
        partnerCenterMessage: 'Signed in to Partner Center.',
        webhookRegistered: Boolean(data),
        webhookUrl: url,
        webhookEvents: events.join(','),
        webhookMatches: matches,
      };
    } catch (error) {
      const { state, message } = failure(error);
      return {
        ...base(expected),
        partnerCenterState: state,
        partnerCenterSignedIn: false,
        partnerCenterMessage: message,
        webhookRegistered: false,
        webhookUrl: '',
        webhookEvents: '',
        webhookMatches: false,
      };
    }
  }

  return {
    status,
    async registerWebhooks() {
      try {
        await options.partnerCenter.registerWebhooks(options.expectedWebhookUrl());
      } catch (error) {
        const { message } = failure(error);
        // The state stays what a fresh check finds (signed in, yet the registration itself was refused, say).
        return { ...(await status()), partnerCenterMessage: `The webhooks were not registered: ${message}` };
      }
      return status();
    },
  };
}
