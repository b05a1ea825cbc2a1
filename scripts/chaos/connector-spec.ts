/** What the chaos run hands its connector process: where the stand-ins are and how to tune the worker. */
import type { EmulatorEndpoint } from '../../sandbox/stack/partner-center.js';
import type { SweepConfig, WorkerConfig } from '../../connector/config/types.js';
import type { RetryPolicy } from '../../connector/partner-center/retry-policy.js';

export const CHILD_SPEC_ENV = 'COSELL_CHAOS_CONNECTOR';

export interface ConnectorChildSpec {
  port: number;
  storePath: string;
  syncRequestSecret: string;
  logLevel: string;
  salesforce: { loginUrl: string; apiVersion: string; clientId: string; clientSecret: string };
  /** The endpoint's refresh token is issued afresh for every start: the emulator's are single-use. */
  partnerCenter: EmulatorEndpoint & {
    /** host:port serving the webhook signing certificate. */
    certificateHost: string;
    certificateAuthorityPem: string;
    timeoutMs: number;
    retry: Partial<RetryPolicy>;
  };
  worker: WorkerConfig;
  sweeps: SweepConfig;
}

export interface ChildReady {
  type: 'ready';
  url: string;
  pid: number;
}
