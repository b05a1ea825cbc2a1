/**
 * The whole product on loopback for end-to-end tests (the one stack builder, sandbox/stack/loopback.ts): the local org, the Partner Center emulator and the
 * connector as `cosell start` runs it (startConnector with a configuration from loadConfig), wired the way an
 * admin wires production — the org's delivery flow posts sync requests to the connector, Partner Center delivers
 * signed webhooks to the connector's public URL. Two wire taps record what crosses the Partner Center boundary:
 * the connector's API calls, and the webhook deliveries (the public URL is the tap, as an ingress would be).
 *
 * The store comes from the configuration like everything else: a file in a fresh temporary data directory,
 * unless the environment says otherwise (COSELL_STORE_PATH, or COSELL_STORE_URL for Postgres) — so the same
 * suite runs on every backend the connector supports.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from 'jsforce';
import { loadConfig } from '../../connector/config/load.js';
import type { RunningConnector } from '../../connector/service.js';
import type { LocalOrg } from '../../sandbox/org/index.js';
import { connectAs } from '../../sandbox/org/test-helpers.js';
import type { PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import { startLoopbackStack } from '../../sandbox/stack/loopback.js';
import { MicrosoftSellerClient } from './microsoft.js';
import { WireTap } from './wire-tap.js';

export interface Stack {
  org: LocalOrg;
  pc: PartnerCenterEmulator;
  connector: RunningConnector;
  /** The demo seller's own REST session (password login, the seller's permissions and field security). */
  seller: Connection;
  /** The Microsoft seller, over the emulator's HTTP control routes. */
  microsoft: MicrosoftSellerClient;
  /** Connector → Partner Center API (token, referrals, webhook registration). */
  partnerCenterWire: WireTap;
  /** Partner Center → connector webhook deliveries (the connector's public URL). */
  webhookWire: WireTap;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  let partnerCenterWire: WireTap | undefined;
  let webhookWire: WireTap | undefined;
  const stack = await startLoopbackStack({
    dataDirPrefix: 'cosell-e2e-',
    // COSELL_SF_NAMESPACE: the org speaks the namespaced package's names, and the connector (reading the same
    // variable through loadConfig) must speak them too.
    org: { namespace: process.env.COSELL_SF_NAMESPACE || undefined },
    // Partner Center retries a refused delivery a few times, quickly, so a refusal settles within a test.
    partnerCenter: { webhooks: { maxAttempts: 3, retryBaseMs: 50 } },
    beforeConnector: async ({ pc, onClose }) => {
      const pcWire = await new WireTap(pc.url).start();
      onClose(() => pcWire.close());
      partnerCenterWire = pcWire;
      const hookWire = await new WireTap().start();
      onClose(() => hookWire.close());
      webhookWire = hookWire;
    },
    config: ({ dataDir }) => {
      // The data directory is the default; the environment (read by loadConfig, as in production) overrides it.
      const configFile = path.join(dataDir!, 'connector.json');
      writeFileSync(configFile, JSON.stringify({ store: { path: path.join(dataDir!, 'cosell.sqlite') } }));
      const config = loadConfig({
        configFile,
        env: process.env,
        overrides: {
          mode: 'sandbox',
          http: { host: '127.0.0.1', port: 0, publicUrl: webhookWire!.url },
          // Short polls and retries so a test sees outcomes in well under a second.
          worker: { pollIntervalMs: 25, retryBaseMs: 100, retryCapMs: 400, maxAttempts: 4, leaseMs: 5000, concurrency: 4 },
          sweeps: { enabled: false },
          log: { level: process.env.COSELL_TEST_LOG ?? 'silent' },
        },
      });
      // Record ids repeat from one local org to the next, so stacks must not share tables: a server database named
      // in the environment gets a fresh schema per stack (a throw-away server takes them all away with it).
      const store = config.store as { path: string; url?: string };
      if (store.url) {
        const url = new URL(store.url);
        url.searchParams.set('schema', `cosell_e2e_${process.pid}_${randomBytes(4).toString('hex')}`);
        store.url = url.toString();
      }
      return config;
    },
    // The connector reaches Partner Center through the tap; certificates still come from the emulator itself.
    connector: ({ pc }) => {
      const tapped = partnerCenterWire!.url;
      return {
        partnerCenterView: {
          ...pc,
          url: tapped,
          referralsBaseUrl: `${tapped}/v1.0/engagements`,
          webhooksBaseUrl: `${tapped}/webhooks/v1`,
          tokenUrl: `${tapped}${new URL(pc.tokenUrl).pathname}`,
        },
      };
    },
  });
  const { org, pc, connector, close } = stack;
  try {
    webhookWire!.target = connector.url;
    // Work left by another run would be mistaken for ours.
    const leftover = await connector.store.listItems({});
    if (leftover.length > 0) {
      throw new Error(
        `The connector's store already holds ${leftover.length} work item(s) from another run; end-to-end stacks need an empty store each ` +
          '(unset the store setting in the environment, or point it at a fresh database).',
      );
    }
    const seller = await connectAs(org, 'seller');
    return { org, pc, connector, seller, microsoft: new MicrosoftSellerClient(pc.url), partnerCenterWire: partnerCenterWire!, webhookWire: webhookWire!, close };
  } catch (error) {
    await close();
    throw error;
  }
}
