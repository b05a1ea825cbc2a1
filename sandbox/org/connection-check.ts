/**
 * The screen flow Partner Center: Connection Check, as the local org runs it for the setup page's Test connection
 * and Register Partner Center webhooks buttons (lightning-flow in the page; the preview's stand-in and the tests
 * call it through the control API). Like the packaged flow it makes one External Services callout through the
 * Partner_Center_Connector named credential — here the connector target the delivery flow uses, with its bearer
 * secret — and returns the same output variables:
 * - 200: reached = true and every property of the ConnectionStatus answer copied to the output of the same name;
 * - another declared status (401): reached = false, failureMessage "The connector answered HTTP <code>";
 * - a callout failure (no URL, connection refused, timeout): the fault path, failureMessage = the fault message.
 * Docs this models: "Operation Output Parameters" (External Services: every operation has responseCode, and an
 * output named after each declared response code), https://help.salesforce.com/s/articleView?id=platform.external_services_schema_def_operation_output_params.htm ;
 * "Flow Fault Paths" / $Flow.FaultMessage for the fault path; lightning-flow runs screen flows only, for users the
 * flow grants access to (PermissionSet flowAccesses), https://developer.salesforce.com/docs/component-library/bundle/lightning-flow .
 * Where the docs are silent (the exact fault text) the message names the URL and the error, and an undeclared
 * status code is a fault, as External Services treats it.
 */
import type { ConnectorTarget } from './delivery.js';

export const CONNECTION_CHECK_FLOW = 'Partner_Center_Connection_Check';

const OPERATIONS = {
  check: { method: 'GET', path: 'v1/connection' },
  register: { method: 'POST', path: 'v1/connection/webhooks' },
} as const;

/** The ConnectionStatus schema's properties: the flow copies exactly these. */
export const STATUS_OUTPUTS = [
  'connectorVersion',
  'partnerCenterState',
  'partnerCenterSignedIn',
  'partnerCenterMessage',
  'webhookRegistered',
  'webhookUrl',
  'webhookEvents',
  'webhookMatches',
  'expectedWebhookUrl',
  'checkedAt',
] as const;

/** Status codes the registration declares for these operations (others are faults). */
const DECLARED = new Set([200, 401]);

export type FlowOutputs = Record<string, string | number | boolean | null>;

export class FlowAccessError extends Error {
  override name = 'FlowAccessError';
}

export async function runConnectionCheck(target: ConnectorTarget | null, inputs: Record<string, unknown>, timeoutMs = 120_000): Promise<FlowOutputs> {
  const outputs: FlowOutputs = Object.fromEntries([...STATUS_OUTPUTS, 'reached', 'responseCode', 'failureMessage'].map((name) => [name, null]));
  const operation = inputs.action === 'register' ? OPERATIONS.register : OPERATIONS.check;
  if (!target) {
    outputs.reached = false;
    outputs.failureMessage = 'The callout failed: the Partner_Center_Connector named credential has no reachable URL.';
    return outputs;
  }
  const url = new URL(operation.path, target.connectorUrl.endsWith('/') ? target.connectorUrl : `${target.connectorUrl}/`);
  let response: Response;
  try {
    response = await fetch(url, { method: operation.method, headers: { Authorization: `Bearer ${target.sharedSecret}` }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    outputs.reached = false;
    outputs.failureMessage = `The callout to ${url.href} failed: ${(error as Error).message}`;
    return outputs;
  }
  const text = await response.text();
  if (!DECLARED.has(response.status)) {
    outputs.reached = false;
    outputs.failureMessage = `The callout to ${url.href} failed: HTTP ${response.status} is not a response the PartnerCenterConnector registration declares.`;
    return outputs;
  }
  outputs.responseCode = response.status;
  if (response.status !== 200) {
    outputs.reached = false;
    outputs.failureMessage = `The connector answered HTTP ${response.status}`;
    return outputs;
  }
  const body = JSON.parse(text) as Record<string, unknown>;
  outputs.reached = true;
  for (const name of STATUS_OUTPUTS) {
    const value = body[name];
    outputs[name] = typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number' ? value : null;
  }
  return outputs;
}
