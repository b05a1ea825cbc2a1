/**
 * Latency profiles, applied through the stand-ins' own latency settings (sandbox/org/faults.ts,
 * sandbox/partner-center/faults.ts): every API call the connector makes waits that long before it is served.
 * `realistic` is what a connector meets in production: Salesforce REST calls of 100–300 ms, Partner Center
 * Referrals API calls of 300–800 ms. `none` measures the connector and the stand-ins alone, on loopback.
 */
export const LATENCY_PROFILES = {
  none: {
    salesforce: { latencyMs: 0, latencyJitterMs: 0 },
    partnerCenter: { latencyMs: 0, latencyJitterMs: 0 },
  },
  realistic: {
    salesforce: { latencyMs: 100, latencyJitterMs: 200 },
    partnerCenter: { latencyMs: 300, latencyJitterMs: 500 },
  },
} as const;

export type LatencyProfileName = keyof typeof LATENCY_PROFILES;

export function isLatencyProfile(name: string): name is LatencyProfileName {
  return Object.hasOwn(LATENCY_PROFILES, name);
}
