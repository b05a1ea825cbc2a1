/**
 * The connector as its own process, so the chaos run can SIGKILL it mid-work and start it again on the same
 * durable store while the local org and the Partner Center emulator keep running in the parent. It is the real
 * service (startConnector): the same HTTP edge, worker, sweeps and store as `cosell start`, pointed at the
 * emulators by URL like a live connector is pointed at Salesforce and Microsoft. Reports its URL over IPC.
 */
import { emulatorEndpointClient } from '../../sandbox/stack/partner-center.js';
import { loadConfig } from '../../connector/config/load.js';
import type { ConnectorConfig } from '../../connector/config/types.js';
import { createLogger } from '../../connector/observability/logger.js';
import { connectSalesforce } from '../../connector/salesforce/auth.js';
import { SalesforceGateway } from '../../connector/salesforce/gateway.js';
import { closeOnSignals, startConnector } from '../../connector/service.js';
import { CHILD_SPEC_ENV, type ChildReady, type ConnectorChildSpec } from './connector-spec.js';

async function main(): Promise<number> {
  const raw = process.env[CHILD_SPEC_ENV];
  if (!raw) throw new Error(`${CHILD_SPEC_ENV} is not set: this entry is started by the chaos run.`);
  const spec = JSON.parse(raw) as ConnectorChildSpec;
  // The spec holds sandbox credentials only; keep it out of anything this process spawns or dumps.
  delete process.env[CHILD_SPEC_ENV];

  const config: ConnectorConfig = loadConfig({
    env: { COSELL_MODE: 'sandbox' },
    repositoryRoot: null,
    overrides: {
      http: { host: '127.0.0.1', port: spec.port },
      store: { path: spec.storePath },
      syncRequestSecret: spec.syncRequestSecret,
      salesforce: { auth: 'client-credentials', ...spec.salesforce },
      worker: spec.worker,
      sweeps: spec.sweeps,
      log: { level: spec.logLevel },
    },
  });
  const pc = spec.partnerCenter;
  const partnerCenter = emulatorEndpointClient(pc, { timeoutMs: pc.timeoutMs, retry: pc.retry });
  const connector = await startConnector(config, {
    logger: createLogger({ level: spec.logLevel }),
    partnerCenter,
    salesforce: new SalesforceGateway(() => connectSalesforce(config.salesforce)),
    webhookTrust: {
      allowedCertificateHosts: [],
      insecureLoopbackHosts: [pc.certificateHost],
      trustedRoots: [pc.certificateAuthorityPem],
      expectedIssuer: { organization: 'Partner Center Emulator' },
    },
    // No stand-ins are wired from here: the parent points the org's delivery flow and the webhook registration
    // here, once, at a fixed port.
  });
  const ready: ChildReady = { type: 'ready', url: connector.url, pid: process.pid };
  process.send?.(ready);
  return closeOnSignals(connector);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos connector failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
