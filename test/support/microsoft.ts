/**
 * The Microsoft seller on the other side of a deal, acting over the emulator's HTTP control routes
 * (`/_emulator/seller/...`): everything goes through the emulator's referral rules and raises the webhooks a real
 * Microsoft seller's work in MSX would.
 */
import type { Referral } from '../../connector/model/referral.js';
import type { SellerUpdate, ShareReferralInput } from '../../sandbox/partner-center/microsoft-seller.js';

export class MicrosoftSellerClient {
  constructor(private readonly emulatorUrl: string) {}

  async #post(path: string, body: unknown): Promise<Referral> {
    const response = await fetch(`${this.emulatorUrl}/_emulator/seller/referrals${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Microsoft seller: POST ${path || '/'} answered ${response.status}: ${text}`);
    return JSON.parse(text) as Referral;
  }

  /** Shares a new co-sell referral with the partner. */
  share(input: ShareReferralInput): Promise<Referral> {
    return this.#post('', input);
  }

  update(referralId: string, changes: SellerUpdate): Promise<Referral> {
    return this.#post(`/${encodeURIComponent(referralId)}/update`, changes);
  }

  /** Records Microsoft's own CRM id on the referral. */
  setCrmId(referralId: string, microsoftMsxId: string): Promise<Referral> {
    return this.#post(`/${encodeURIComponent(referralId)}/crm-id`, { microsoftMsxId });
  }

  /** Partner Center reports a documented value the transition table has no row for (status/substatus `None`). */
  report(referralId: string, values: { status?: 'None'; substatus?: 'None' }): Promise<Referral> {
    return this.#post(`/${encodeURIComponent(referralId)}/report`, values);
  }

  close(referralId: string, substatus: 'Won' | 'Lost' | 'Declined', statusReason?: string): Promise<Referral> {
    return this.#post(`/${encodeURIComponent(referralId)}/close`, { substatus, ...(statusReason ? { statusReason } : {}) });
  }
}
