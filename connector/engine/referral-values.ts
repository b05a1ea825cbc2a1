/**
 * Enum values the connector knows how to act on, and a check for the ones it does not. "Referral resources"
 * (https://learn.microsoft.com/partner-center/developer/referral-resources) lists `None` for ReferralStatus and
 * ReferralSubstatus without a row in the transition table, and Microsoft may add values; a referral carrying such a
 * value is not guessed at: it is logged and parked with a message naming the referral and the value, before any
 * decision that indexes the status rules is made, so it can neither crash the engine nor be retried in a loop.
 */
import { DIRECTIONS, QUALIFICATIONS, REFERRAL_STATUSES, REFERRAL_SUBSTATUSES, REFERRAL_TYPES, type Referral } from '../model/referral.js';
import { describeRecord } from './field-errors.js';

const KNOWN: Readonly<Record<string, readonly string[]>> = {
  status: REFERRAL_STATUSES,
  substatus: REFERRAL_SUBSTATUSES,
  type: REFERRAL_TYPES,
  direction: DIRECTIONS,
  qualification: QUALIFICATIONS,
};

export interface UnknownValue {
  field: string;
  value: string;
  known: readonly string[];
}

/** The referral's enum fields whose value the connector does not know (absent fields are not reported). */
export function unknownValues(referral: Referral): UnknownValue[] {
  const found: UnknownValue[] = [];
  for (const [field, known] of Object.entries(KNOWN)) {
    const value: unknown = (referral as Record<string, unknown>)[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !known.includes(value)) found.push({ field, value: String(value), known });
  }
  return found;
}

/** Thrown (and parked by the sync layer, code UNKNOWN_VALUE) when a referral carries a value the connector does not know. */
export class UnknownValueError extends Error {
  override name = 'UnknownValueError';
  constructor(
    readonly referral: Pick<Referral, 'id' | 'name'>,
    readonly unknown: UnknownValue[],
  ) {
    const what = unknown.map((u) => `${u.field} "${u.value}" (known: ${u.known.join(', ')})`).join('; ');
    super(
      `${describeRecord('Referral', referral.name, referral.id)} has ${what} — a value the connector does not act on, so nothing was changed on either side. ` +
        'Replay it from the dead letters once Partner Center shows a known value; if it keeps arriving, the connector needs an update for it.',
    );
  }
}

/** Throws UnknownValueError when the referral carries an unknown enum value. */
export function assertKnownValues(referral: Referral): void {
  const unknown = unknownValues(referral);
  if (unknown.length > 0) throw new UnknownValueError(referral, unknown);
}
