/**
 * Salesforce stage ⇄ Partner Center status/substatus. Every status the engine emits passes
 * `isAllowedTransition`, which applies STATUS_RULES (New → New/Active/Closed, Active → Active/Closed, Closed is
 * terminal: its substatus never changes either).
 *
 * Salesforce → Partner Center (events):
 * - accept:  incoming New referral, opportunity moved out of the on-hold stage into any open stage → Active/Accepted
 * - decline: incoming New referral, opportunity closed as lost → Closed/Declined
 * - win:     opportunity closed won (IsClosed and IsWon) → Closed/Won
 * - lose:    opportunity closed lost → Closed/Lost, statusReason "Lost in Salesforce (stage <StageName>)"
 * Partner Center → Salesforce:
 * - New → on-hold stage (on arrival only), Active → active stage (on arrival, or from on hold when accepted in
 *   the portal), Closed/Won → won stage, Closed/Lost → lost stage (lose), Declined → lost stage (decline),
 *   Expired → lost stage (expire). A seller's closed opportunity is never reopened or flipped by Partner Center.
 *
 * Salesforce has no standard loss-reason field, so the loss reason sent is the fixed, searchable
 * "Lost in Salesforce (stage <StageName>)" naming the stage the seller chose.
 */
import {
  STATUS_RULES,
  type Referral,
  type ReferralStatus,
  type ReferralSubstatus,
} from '../model/referral.js';
import { describeRecord, type FieldError } from './field-errors.js';
import type { Settings } from './org-settings.js';

export interface StatusPair {
  status: ReferralStatus;
  substatus: ReferralSubstatus;
}

export interface StageInfo {
  Id?: string;
  Name?: string | null;
  StageName?: string | null;
  IsClosed?: boolean | null;
  IsWon?: boolean | null;
}

export type StageKind = 'onHold' | 'open' | 'won' | 'lost';

/** IsClosed/IsWon are the org's own truth about a stage; the configured names decide when they are absent. */
export function stageKind(stage: StageInfo, settings: Settings): StageKind {
  if (stage.IsClosed === true) return stage.IsWon === true ? 'won' : 'lost';
  const name = stage.StageName ?? null;
  if (stage.IsClosed !== false) {
    if (name !== null && name === settings.wonStageName) return 'won';
    if (name !== null && name === settings.lostStageName) return 'lost';
  }
  return name !== null && name === settings.onHoldStageName ? 'onHold' : 'open';
}

export function isAllowedTransition(from: Partial<StatusPair> | undefined, to: StatusPair): boolean {
  const rule = STATUS_RULES[to.status];
  if (!rule || !rule.substatuses.includes(to.substatus)) return false;
  if (!from?.status) return true;
  // A status the table has no row for (the docs' `None`) allows no move (referral-values.ts parks it earlier).
  if (!STATUS_RULES[from.status]?.next.includes(to.status)) return false;
  // Closed is terminal: Closed → Closed is only allowed as "no change".
  return from.status !== 'Closed' || from.substatus === to.substatus;
}

/** `Active - Accepted`, as Partner_Center_Status__c shows it. */
export function formatReferralStatus(referral: Pick<Referral, 'status' | 'substatus'>): string | null {
  if (!referral.status) return null;
  return referral.substatus ? `${referral.status} - ${referral.substatus}` : referral.status;
}

export type OutboundEvent = 'accept' | 'decline' | 'win' | 'lose';

export type OutboundStatusDecision =
  | { kind: 'unchanged' }
  /** Incoming referral still on hold: nothing the seller edits is sent. */
  | { kind: 'onHold'; reason: string }
  | { kind: 'transition'; event: OutboundEvent; to: StatusPair; statusReason?: string }
  | { kind: 'error'; error: FieldError };

function stageError(stage: StageInfo, message: string): OutboundStatusDecision {
  const reason = { code: 'STAGE_NOT_ALLOWED' as const, field: 'Opportunity.StageName', ...(stage.StageName ? { value: stage.StageName } : {}) };
  return { kind: 'error', error: { field: 'Opportunity.StageName', message: `${describeRecord('Opportunity', stage.Name, stage.Id)}: ${message}`, reason } };
}

function checked(from: Partial<StatusPair>, decision: Extract<OutboundStatusDecision, { kind: 'transition' }>): OutboundStatusDecision {
  if (isAllowedTransition(from, decision.to)) return decision;
  // Unreachable with the rules above; kept so a change to STATUS_RULES can never make the engine emit a forbidden move.
  const reason = { code: 'STAGE_NOT_ALLOWED' as const, field: 'Opportunity.StageName', value: `${decision.to.status} - ${decision.to.substatus}` };
  return { kind: 'error', error: { field: 'Opportunity.StageName', message: `Partner Center does not allow ${from.status} → ${decision.to.status} - ${decision.to.substatus}.`, reason } };
}

/** What the opportunity's stage asks of the referral it is synced with. */
export function decideOutboundStatus(stage: StageInfo, current: Referral, settings: Settings): OutboundStatusDecision {
  const kind = stageKind(stage, settings);
  const from: Partial<StatusPair> = { status: current.status, substatus: current.substatus };
  const incoming = current.direction === 'Incoming';
  const stageName = stage.StageName ?? '';

  if (incoming && current.status === 'New' && settings.onHoldStageName === null) {
    return {
      kind: 'error',
      error: {
        field: 'Partner_Center_Settings__c.On_Hold_Stage_Name__c',
        message: `${describeRecord('Opportunity', stage.Name, stage.Id)} holds a referral not yet accepted, but no on-hold stage is set — choose the On-hold stage name in Partner Center setup.`,
        reason: { code: 'SETUP_REQUIRED', field: 'Partner_Center_Settings__c.On_Hold_Stage_Name__c' },
      },
    };
  }

  if (current.status === 'Closed') {
    const closedAs = formatReferralStatus(current);
    const same = (kind === 'won' && current.substatus === 'Won') || (kind === 'lost' && current.substatus !== 'Won');
    if (same) return { kind: 'unchanged' };
    const back = current.substatus === 'Won' ? (settings.wonStageName ?? 'a Closed Won stage') : (settings.lostStageName ?? 'a Closed Lost stage');
    return stageError(
      stage,
      `the referral is already ${closedAs} in Partner Center and cannot change to match stage "${stageName}" — set Stage back to "${back}", or create a new opportunity for new business.`,
    );
  }

  switch (kind) {
    case 'won':
      return checked(from, { kind: 'transition', event: 'win', to: { status: 'Closed', substatus: 'Won' } });
    case 'lost':
      return incoming && current.status === 'New'
        ? checked(from, { kind: 'transition', event: 'decline', to: { status: 'Closed', substatus: 'Declined' }, statusReason: `Declined in Salesforce (stage ${stageName})` })
        : checked(from, { kind: 'transition', event: 'lose', to: { status: 'Closed', substatus: 'Lost' }, statusReason: `Lost in Salesforce (stage ${stageName})` });
    case 'onHold':
      return incoming && current.status === 'New'
        ? { kind: 'onHold', reason: `Opportunity is in the on-hold stage "${stageName}"; changes sync once it moves to an active stage (accepting the referral).` }
        : { kind: 'unchanged' };
    case 'open':
      return incoming && current.status === 'New'
        ? checked(from, { kind: 'transition', event: 'accept', to: { status: 'Active', substatus: 'Accepted' } })
        : { kind: 'unchanged' };
  }
}

export type InboundEvent = 'arrive' | 'accept' | 'win' | 'lose' | 'decline' | 'expire';

export type InboundStageDecision =
  | { kind: 'unchanged'; note?: string }
  | { kind: 'stage'; stageName: string; event: InboundEvent }
  | { kind: 'error'; error: FieldError };

type StageSetting = 'activeStageName' | 'onHoldStageName' | 'wonStageName' | 'lostStageName';
const SETTING_FIELDS: Record<StageSetting, { field: string; label: string }> = {
  activeStageName: { field: 'Active_Stage_Name__c', label: 'Active stage name' },
  onHoldStageName: { field: 'On_Hold_Stage_Name__c', label: 'On-hold stage name' },
  wonStageName: { field: 'Won_Stage_Name__c', label: 'Won stage name' },
  lostStageName: { field: 'Lost_Stage_Name__c', label: 'Lost stage name' },
};

function targetFor(referral: Referral): { setting: StageSetting; event: InboundEvent; kind: StageKind } {
  if (referral.status === 'Closed') {
    switch (referral.substatus) {
      case 'Won':
        return { setting: 'wonStageName', event: 'win', kind: 'won' };
      case 'Declined':
        return { setting: 'lostStageName', event: 'decline', kind: 'lost' };
      case 'Expired':
        return { setting: 'lostStageName', event: 'expire', kind: 'lost' };
      default:
        return { setting: 'lostStageName', event: 'lose', kind: 'lost' };
    }
  }
  if (referral.status === 'Active') return { setting: 'activeStageName', event: 'accept', kind: 'open' };
  return { setting: 'onHoldStageName', event: 'arrive', kind: 'onHold' };
}

function stageFor(referral: Referral, setting: StageSetting, event: InboundEvent, settings: Settings): InboundStageDecision {
  const stageName = settings[setting];
  if (stageName !== null) return { kind: 'stage', stageName, event };
  const { field, label } = SETTING_FIELDS[setting];
  return {
    kind: 'error',
    error: {
      field: `Partner_Center_Settings__c.${field}`,
      message: `${describeRecord('Referral', referral.name, referral.id)} is ${formatReferralStatus(referral) ?? 'new'} in Partner Center, but no ${label.toLowerCase()} is set — choose the ${label} in Partner Center setup.`,
      reason: { code: 'SETUP_REQUIRED', field: `Partner_Center_Settings__c.${field}` },
    },
  };
}

/** The stage a referral's status asks for: of a new opportunity (`stage` undefined) or of an existing one. */
export function decideInboundStage(referral: Referral, stage: StageInfo | undefined, settings: Settings): InboundStageDecision {
  const target = targetFor(referral);
  if (!stage) return stageFor(referral, target.setting, target.event === 'accept' ? 'arrive' : target.event, settings);
  const kind = stageKind(stage, settings);
  if (kind === 'won' || kind === 'lost') {
    return target.kind === kind || target.kind === 'onHold' || target.kind === 'open'
      ? { kind: 'unchanged' }
      : { kind: 'unchanged', note: `Partner Center reports ${formatReferralStatus(referral)} but the seller closed the opportunity as ${kind}; the Salesforce stage is kept.` };
  }
  if (target.kind === 'won' || target.kind === 'lost') return stageFor(referral, target.setting, target.event, settings);
  // Accepted in the Partner Center portal while on hold here: follow it. Otherwise the seller's open stage stands.
  if (target.kind === 'open' && kind === 'onHold' && referral.direction === 'Incoming') return stageFor(referral, 'activeStageName', 'accept', settings);
  return { kind: 'unchanged' };
}
