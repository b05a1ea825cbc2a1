/**
 * The emulator's control surface (TypeScript and `/_emulator/...`) for tests, demos and benchmarks: its own module
 * so the control routes and the emulator that builds it do not import each other.
 */
import type { Referral } from './referral-model.js';
import type { FaultSettings, InjectedFaults, ScriptedFault } from './faults.js';
import type { MicrosoftSeller } from './microsoft-seller.js';
import type { EmulatorStats } from './stats.js';
import type { SandboxUser } from './token-issuer.js';
import type { Delivery, StoredRegistration } from './webhook-dispatcher.js';

export interface EmulatorControl {
  faults: {
    get(): FaultSettings;
    set(update: Partial<FaultSettings>): FaultSettings;
    /** Exact faults for the next API calls, in order. */
    script(...faults: ScriptedFault[]): void;
    /** Faults injected so far, by kind (webhook faults are in stats().webhooks). */
    injected(): InjectedFaults;
    reset(): void;
    reseed(seed: number): void;
  };
  seller: MicrosoftSeller;
  auth: {
    /** A refresh token for a sandbox user, as an admin's sign-in would produce. Default role: Referrals admin. */
    issueRefreshToken(user?: Partial<SandboxUser>): string;
    revokeRefreshTokens(): void;
    expireAccessTokens(): void;
    setAccessTokenLifetime(seconds: number): void;
    /** The admin enters a device sign-in code and signs in (default user: a Referrals admin); false if unknown. */
    approveDeviceCode(userCode: string, user?: Partial<SandboxUser>): boolean;
    declineDeviceCode(userCode: string): boolean;
    /** Every refresh and access token issued so far (tests check that none of them is logged). */
    issuedTokens(): string[];
  };
  webhooks: {
    registration(): StoredRegistration | undefined;
    deliveries(): Delivery[];
    /** Resolves when every queued notification has been delivered or parked. */
    idle(): Promise<void>;
    redeliverParked(): number;
    /** Headers Partner Center would send with these exact bytes (tests that deliver their own notifications). */
    sign(body: string | Buffer): Record<string, string>;
  };
  referrals: { get(id: string): Referral; all(): Referral[]; connectedReferralId(id: string): string | undefined };
  clock: { now(): Date; advance(ms: number): void };
  stats(): EmulatorStats;
  resetStats(): void;
}
