import { LightningElement } from 'lwc';
import { packageApiName, showToast } from 'c/partnerCenterUtils';
import { LABELS } from './labels';
import { FLOW_FAILED, connectionChecks, namedCredentialState, resultFromOutputs } from './connection';
import type { ConnectionCheck, ConnectionResult, FlowOutputVariable } from './connection';

/** The screen flow (no screens) that calls the connector's getconnection or registerwebhooks operation. */
export const CONNECTION_FLOW = 'Partner_Center_Connection_Check';

type Action = 'check' | 'register';

interface FlowStatusDetail {
  status?: string;
  outputVariables?: FlowOutputVariable[];
}

/**
 * The setup page's connection section: Test connection and Register Partner Center webhooks, without Apex. Each
 * press runs the connection check flow in the page with lightning-flow (it has no screens, so it finishes at
 * once) and shows its outputs as pass/fail checks. Opening the page runs a check (read-only). Fires
 * `connectionchange` with the result so the page can mark the named credential prerequisite.
 */
export default class PartnerCenterConnectionCheck extends LightningElement {
  labels = LABELS;
  /** The action whose flow is running; the flow element is rendered only then, so each press starts one interview. */
  running: Action | null = null;
  result?: ConnectionResult;

  connectedCallback(): void {
    this.run('check');
  }

  get flowApiName(): string {
    return packageApiName(CONNECTION_FLOW);
  }

  get flowInputs(): Array<{ name: string; type: string; value: string }> {
    return [{ name: 'action', type: 'String', value: this.running ?? 'check' }];
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  get checks(): ConnectionCheck[] {
    return connectionChecks(this.result, LABELS);
  }

  /** Registering needs a connector that answered and is signed in to Partner Center. */
  get registerDisabled(): boolean {
    return this.isRunning || !this.result?.reached || !this.result.partnerCenterSignedIn;
  }

  handleTest(): void {
    this.run('check');
  }

  handleRegister(): void {
    this.run('register');
  }

  handleStatusChange(event: CustomEvent<FlowStatusDetail>): void {
    const status = event.detail?.status;
    if (status === 'FINISHED' || status === 'FINISHED_SCREEN') this.finish(resultFromOutputs(event.detail.outputVariables));
    else if (status === 'ERROR') this.finish(FLOW_FAILED);
  }

  private run(action: Action): void {
    if (this.running) return;
    this.running = action;
  }

  private finish(result: ConnectionResult): void {
    const action = this.running;
    this.running = null;
    this.result = result;
    if (action === 'register') {
      if (result.reached && result.webhookMatches) showToast(this, LABELS.registered, LABELS.registeredMessage, 'success');
      else showToast(this, LABELS.registerFailed, result.partnerCenterMessage || result.failureMessage || LABELS.flowFailed, 'error');
    }
    this.dispatchEvent(new CustomEvent('connectionchange', { detail: { result, namedCredential: namedCredentialState(result) } }));
  }
}
