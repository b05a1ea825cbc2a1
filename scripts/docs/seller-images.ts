/**
 * The pictures docs/SELLER.md shows, by file name under docs/images/. `npm run docs:screenshots` takes each of them
 * (scripts/docs/seller-screenshots.ts); scripts/docs/seller-doc.test.ts checks the guide links exactly these.
 */
export const SELLER_IMAGES = {
  notSynced: 'seller-card-not-synced.png',
  pending: 'seller-card-pending.png',
  synced: 'seller-card-synced.png',
  askHelp: 'seller-ask-help-confirm.png',
  coSell: 'seller-co-sell-shared.png',
  checklist: 'seller-checklist-missing.png',
  solutions: 'seller-solutions-add.png',
  error: 'seller-sync-error.png',
  referral: 'seller-referral-from-microsoft.png',
  won: 'seller-deal-won.png',
} as const;

export type SellerImage = (typeof SELLER_IMAGES)[keyof typeof SELLER_IMAGES];

/** Largest size a picture may have in the repository. */
export const MAX_IMAGE_BYTES = 200 * 1024;
