/** API calls as the emulators count them: everything the connector sent, nothing the benchmark itself did. */
import type { LocalOrg } from '../../sandbox/org/index.js';
import type { PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';

/** Calls Partner Center served (Referrals, webhook registration, token endpoint); the emulator's control routes excluded. */
export function partnerCenterCalls(pc: PartnerCenterEmulator): number {
  return Object.entries(pc.stats().byRoute)
    .filter(([route]) => !route.split(' ')[1]?.startsWith('/_emulator'))
    .reduce((sum, [, stats]) => sum + stats.total, 0);
}

/** Every API call the local org served, OAuth included; a /composite call counts once, as Salesforce bills it. */
export function salesforceCalls(org: LocalOrg): number {
  return org.stats().total;
}

/** Calls by route since the counters were reset, for the profile the CLI prints with --verbose. */
export function callsByRoute(stack: { org: LocalOrg; pc: PartnerCenterEmulator }): { partnerCenter: Record<string, number>; salesforce: Record<string, number> } {
  return {
    partnerCenter: Object.fromEntries(Object.entries(stack.pc.stats().byRoute).map(([route, stats]) => [route, stats.total])),
    salesforce: stack.org.stats().byRoute,
  };
}

export function resetCalls(stack: { org: LocalOrg; pc: PartnerCenterEmulator }): void {
  stack.org.resetStats();
  stack.pc.control.resetStats();
}
