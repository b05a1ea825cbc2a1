/**
 * The real connector composed with the local stand-ins: the Partner Center emulator and the local org stand in
 * for Microsoft and Salesforce, and the connector gets their backends from here — the same production client,
 * gateway and signature check, pointed at loopback. This is the only place that knows both sides; the connector
 * itself never loads the stand-ins (its image ships without them).
 */
import type { ConnectorConfig, SalesforceConfig } from '../../connector/config/types.js';
import type { Logger } from '../../connector/observability/logger.js';
import { createSyncRuntime, startConnector, type ConnectorOverrides, type RunningConnector, type SyncRuntime } from '../../connector/service.js';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../org/index.js';
import { startPartnerCenterEmulator, type PartnerCenterEmulator, type PartnerCenterEmulatorOptions } from '../partner-center/emulator.js';
import { emulatorPartnerCenterClient, emulatorWebhookTrust } from './partner-center.js';

/** The local stand-ins a sandbox connector talks to. */
export interface SandboxStack {
  partnerCenter: PartnerCenterEmulator;
  org: LocalOrg;
}

export interface SandboxConnectorOptions extends ConnectorOverrides {
  /** Emulators the caller started (e.g. with faults); otherwise the sandbox starts its own and closes them with the connector. */
  sandbox?: SandboxStack;
  /** Point the local org's delivery flow and the emulator's webhooks at this connector (default true). */
  wireSandbox?: boolean;
}

export type SandboxRuntime = SyncRuntime & { sandbox: SandboxStack };
export type SandboxConnector = RunningConnector & { sandbox: SandboxStack };

/** Starts the two stand-ins (the only place that does); sandbox/stack/loopback.ts adds the connector around them. */
export async function startSandboxStack(
  options: { org?: LocalOrgOptions; partnerCenter?: PartnerCenterEmulatorOptions } = {},
): Promise<SandboxStack & { close(): Promise<void> }> {
  const org = await startLocalOrg(options.org);
  const partnerCenter = await startPartnerCenterEmulator(options.partnerCenter).catch(async (error: unknown) => {
    await org.close();
    throw error;
  });
  return { partnerCenter, org, close: async () => void (await Promise.all([partnerCenter.close(), org.close()])) };
}

/** The local org's External Client App: client credentials against its token endpoint, as with a real org. */
export function sandboxSalesforceConfig(org: LocalOrg): SalesforceConfig {
  return {
    auth: 'client-credentials',
    loginUrl: org.loginUrl,
    apiVersion: org.apiVersion,
    clientId: org.integrationCredentials.clientId,
    clientSecret: org.integrationCredentials.clientSecret,
  };
}

/** The connector's overrides that point it at the stand-ins (anything the caller set itself wins). */
export function sandboxOverrides(config: ConnectorConfig, stack: SandboxStack, options: SandboxConnectorOptions = {}): ConnectorOverrides {
  const { sandbox: _stack, wireSandbox, ...overrides } = options;
  return {
    ...overrides,
    // The namespace is the admin's setting (COSELL_SF_NAMESPACE), kept when the stand-in's credentials replace the rest.
    salesforceConfig: overrides.salesforceConfig ?? { ...sandboxSalesforceConfig(stack.org), ...(config.salesforce.namespace ? { namespace: config.salesforce.namespace } : {}) },
    partnerCenter: overrides.partnerCenter ?? emulatorPartnerCenterClient(stack.partnerCenter),
    webhookTrust: overrides.webhookTrust ?? emulatorWebhookTrust(stack.partnerCenter),
    secrets: [...(overrides.secrets ?? []), stack.org.integrationCredentials.clientSecret, stack.partnerCenter.client.clientSecret],
    onListening: async (where) => {
      await overrides.onListening?.(where);
      if (wireSandbox === false) return;
      // What an admin does after installing: point the named credential and the webhook registration here
      // (the public URL when one is configured, as `cosell register-webhooks` does for a live tenant).
      stack.org.control.deliveries.configure({ connectorUrl: where.url, sharedSecret: config.syncRequestSecret });
      await where.runtime.partnerCenter.registerWebhooks(where.webhookUrl);
    },
  };
}

/**
 * Runs `build` against the caller's stand-ins or freshly started ones; the latter close after the connector does
 * (or at once when it fails to start), so the worker never sees its backends vanish first.
 */
async function withStack<T extends { close(): Promise<void>; logger: Logger }>(
  options: SandboxConnectorOptions,
  build: (stack: SandboxStack) => Promise<T>,
): Promise<T & { sandbox: SandboxStack }> {
  const started = options.sandbox ? undefined : await startSandboxStack();
  const stack = options.sandbox ?? started!;
  let built: T;
  try {
    built = await build(stack);
  } catch (error) {
    await started?.close();
    throw error;
  }
  if (!started) return Object.assign(built, { sandbox: stack });
  built.logger.info({ partnerCenter: stack.partnerCenter.url, org: stack.org.url }, 'sandbox emulators started');
  const closeConnector = built.close;
  let closing: Promise<void> | undefined;
  return Object.assign(built, {
    sandbox: stack,
    close: () =>
      (closing ??= (async () => {
        await closeConnector();
        await started.close();
      })()),
  });
}

export function createSandboxSyncRuntime(config: ConnectorConfig, options: SandboxConnectorOptions = {}): Promise<SandboxRuntime> {
  return withStack(options, (stack) => createSyncRuntime(config, sandboxOverrides(config, stack, options)));
}

export function startSandboxConnector(config: ConnectorConfig, options: SandboxConnectorOptions = {}): Promise<SandboxConnector> {
  return withStack(options, (stack) => startConnector(config, sandboxOverrides(config, stack, options)));
}
