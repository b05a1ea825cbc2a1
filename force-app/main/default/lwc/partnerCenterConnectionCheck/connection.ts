/**
 * What the connection check flow returned, read as pass/fail checks. Pure functions, so each case is tested
 * without a flow. The flow's outputs come from lightning-flow's statuschange event as
 * `{ name, dataType, value }` entries ("lightning-flow", Lightning Component Library: outputVariables).
 */
import { formatLabel } from 'c/partnerCenterUtils';
import type { ConnectionLabels } from './labels';

export type CheckState = 'ok' | 'missing' | 'unknown';

export interface ConnectionResult {
  /** The flow could not run at all (no access to it, the platform refused it). */
  flowFailed: boolean;
  reached: boolean;
  responseCode: number | null;
  failureMessage: string;
  connectorVersion: string;
  partnerCenterState: string;
  partnerCenterSignedIn: boolean;
  partnerCenterMessage: string;
  webhookRegistered: boolean;
  webhookUrl: string;
  webhookMatches: boolean;
  expectedWebhookUrl: string;
  checkedAt: string;
}

export interface FlowOutputVariable {
  name: string;
  value?: unknown;
}

export interface ConnectionCheck {
  key: 'reach' | 'partnerCenter' | 'webhooks';
  state: CheckState;
  label: string;
  detail: string;
  iconName: string;
  iconVariant: string;
  statusText: string;
  className: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));

export function resultFromOutputs(outputs: FlowOutputVariable[] | undefined): ConnectionResult {
  const byName = new Map((outputs ?? []).map((output) => [output.name, output.value]));
  const code = byName.get('responseCode');
  return {
    flowFailed: false,
    reached: byName.get('reached') === true,
    responseCode: typeof code === 'number' ? code : code ? Number(code) : null,
    failureMessage: text(byName.get('failureMessage')),
    connectorVersion: text(byName.get('connectorVersion')),
    partnerCenterState: text(byName.get('partnerCenterState')),
    partnerCenterSignedIn: byName.get('partnerCenterSignedIn') === true,
    partnerCenterMessage: text(byName.get('partnerCenterMessage')),
    webhookRegistered: byName.get('webhookRegistered') === true,
    webhookUrl: text(byName.get('webhookUrl')),
    webhookMatches: byName.get('webhookMatches') === true,
    expectedWebhookUrl: text(byName.get('expectedWebhookUrl')),
    checkedAt: text(byName.get('checkedAt')),
  };
}

export const FLOW_FAILED: ConnectionResult = {
  ...resultFromOutputs([]),
  flowFailed: true,
};

/** The named credential's URL is set when the callout got any answer from the connector (even a 401). */
export function namedCredentialState(result: ConnectionResult | undefined): CheckState {
  if (!result || result.flowFailed) return 'unknown';
  return result.reached || result.responseCode !== null ? 'ok' : 'missing';
}

const ICONS: Record<CheckState, { iconName: string; iconVariant: string }> = {
  ok: { iconName: 'utility:success', iconVariant: 'success' },
  missing: { iconName: 'utility:error', iconVariant: 'error' },
  unknown: { iconName: 'utility:help', iconVariant: '' },
};

export function statusTextOf(state: CheckState, labels: Pick<ConnectionLabels, 'statusOk' | 'statusMissing' | 'statusUnknown'>): string {
  return { ok: labels.statusOk, missing: labels.statusMissing, unknown: labels.statusUnknown }[state];
}

function check(key: ConnectionCheck['key'], state: CheckState, label: string, detail: string, labels: ConnectionLabels): ConnectionCheck {
  return { key, state, label, detail, ...ICONS[state], statusText: statusTextOf(state, labels), className: `check check_${state} slds-var-p-vertical_x-small` };
}

export function connectionChecks(result: ConnectionResult | undefined, labels: ConnectionLabels): ConnectionCheck[] {
  if (!result) {
    return [
      check('reach', 'unknown', labels.reach, labels.notChecked, labels),
      check('partnerCenter', 'unknown', labels.partnerCenter, labels.notChecked, labels),
      check('webhooks', 'unknown', labels.webhooks, labels.notChecked, labels),
    ];
  }
  if (result.flowFailed || !result.reached) {
    const detail = result.flowFailed
      ? labels.flowFailed
      : result.responseCode !== null
        ? formatLabel(labels.reachRefused, result.responseCode)
        : formatLabel(labels.reachFailed, result.failureMessage);
    return [
      check('reach', result.flowFailed ? 'unknown' : 'missing', labels.reach, detail, labels),
      check('partnerCenter', 'unknown', labels.partnerCenter, labels.notChecked, labels),
      check('webhooks', 'unknown', labels.webhooks, labels.notChecked, labels),
    ];
  }
  const reach = check('reach', 'ok', labels.reach, formatLabel(labels.reachOk, result.connectorVersion), labels);
  const partnerCenter = result.partnerCenterSignedIn
    ? check('partnerCenter', 'ok', labels.partnerCenter, labels.partnerCenterOk, labels)
    : check('partnerCenter', 'missing', labels.partnerCenter, formatLabel(labels.partnerCenterFailed, result.partnerCenterMessage), labels);
  let webhooks: ConnectionCheck;
  if (!result.partnerCenterSignedIn) webhooks = check('webhooks', 'unknown', labels.webhooks, labels.webhooksUnknown, labels);
  else if (result.webhookMatches) webhooks = check('webhooks', 'ok', labels.webhooks, formatLabel(labels.webhooksOk, result.webhookUrl), labels);
  else if (!result.webhookRegistered) webhooks = check('webhooks', 'missing', labels.webhooks, labels.webhooksNone, labels);
  else webhooks = check('webhooks', 'missing', labels.webhooks, formatLabel(labels.webhooksOther, result.webhookUrl, result.expectedWebhookUrl), labels);
  return [reach, partnerCenter, webhooks];
}
