/**
 * The one stack builder: the local org, the Partner Center emulator and the real connector on loopback, wired as an
 * admin wires production. `npm start`, the end-to-end and integration suites and the benchmark each say only what
 * differs for them — the stand-ins' options, the connector's configuration, what runs before it starts — and share
 * the start-up order, the temporary data directory and the teardown (the connector first, then the stand-ins, then
 * the data), also when start-up fails halfway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConnectorConfig } from '../../connector/config/types.js';
import type { LocalOrg, LocalOrgOptions } from '../org/index.js';
import type { PartnerCenterEmulator, PartnerCenterEmulatorOptions } from '../partner-center/emulator.js';
import { startSandboxConnector, startSandboxStack, type SandboxConnector, type SandboxConnectorOptions } from './connector.js';

/** What the stack has started so far, for the caller's hooks. */
export interface StackContext {
  org: LocalOrg;
  pc: PartnerCenterEmulator;
  /** The temporary data directory (removed on close), when the options asked for one. */
  dataDir: string | undefined;
  /** Adds a teardown step; it runs after the connector closes and before the stand-ins do. */
  onClose(step: () => Promise<void> | void): void;
}

export interface LoopbackStackOptions {
  org?: LocalOrgOptions;
  partnerCenter?: PartnerCenterEmulatorOptions;
  /** A fresh temporary directory with this name prefix (e.g. `cosell-e2e-`), for the store and logs. */
  dataDirPrefix?: string;
  /** Runs once the stand-ins are up and before the connector starts (seed data, wire taps, a clock). */
  beforeConnector?: (stack: StackContext) => Promise<void> | void;
  /** The connector's configuration. */
  config: (stack: StackContext) => ConnectorConfig;
  /** How the connector is started beside its configuration (logger, tuned clients, a view of the emulator). */
  connector?: (stack: StackContext) => Omit<SandboxConnectorOptions, 'sandbox'> & { partnerCenterView?: PartnerCenterEmulator };
}

export interface LoopbackStack {
  org: LocalOrg;
  pc: PartnerCenterEmulator;
  connector: SandboxConnector;
  dataDir: string | undefined;
  /** Idempotent. */
  close(): Promise<void>;
}

export async function startLoopbackStack(options: LoopbackStackOptions): Promise<LoopbackStack> {
  const dataDir = options.dataDirPrefix ? mkdtempSync(path.join(tmpdir(), options.dataDirPrefix)) : undefined;
  const cleanups: (() => Promise<void> | void)[] = dataDir ? [() => rmSync(dataDir, { recursive: true, force: true })] : [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const step of cleanups.splice(0).reverse()) await step();
    })());
  try {
    const stand = await startSandboxStack({ org: options.org, partnerCenter: options.partnerCenter });
    cleanups.push(() => stand.close());
    const context: StackContext = { org: stand.org, pc: stand.partnerCenter, dataDir, onClose: (step) => void cleanups.push(step) };
    await options.beforeConnector?.(context);
    const config = options.config(context);
    const { partnerCenterView, ...connectorOptions } = options.connector?.(context) ?? {};
    const connector = await startSandboxConnector(config, { ...connectorOptions, sandbox: { org: stand.org, partnerCenter: partnerCenterView ?? stand.partnerCenter } });
    cleanups.push(() => connector.close());
    return { org: stand.org, pc: stand.partnerCenter, connector, dataDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}
