/** Version discovery, the resource directory of a version, and /limits. */
import type { Org } from './org.js';
import type { RestRouter } from './rest-router.js';
import type { Stats } from './stats.js';

export const OLDEST_VERSION = 20;

/** Release name of an API version: v62.0 is Winter '25, then Spring, Summer, Winter again. */
export function releaseLabel(major: number): string {
  const n = major - 62;
  const season = ['Winter', 'Spring', 'Summer'][((n % 3) + 3) % 3];
  return `${season} '${25 + Math.floor(n / 3)}`;
}

export function versionList(latest: string): { label: string; url: string; version: string }[] {
  const top = Math.floor(Number(latest));
  const list = [];
  for (let v = OLDEST_VERSION; v <= top; v++) {
    list.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return list;
}

/** Daily API request allowance reported by /limits (a Developer Edition's figure). */
const DAILY_API_REQUESTS = 15_000;

export function registerMiscRoutes(router: RestRouter, org: Org, stats: Stats, identityUrl: (userId: string) => string): void {
  router
    .add('GET', '/', (req) => {
      const base = `/services/data/v${req.version}`;
      const names = ['tooling', 'metadata', 'eclair', 'folders', 'prechatForms', 'contact-tracing', 'domino', 'async-queries', 'query',
        'jsonxform', 'chatter', 'payments', 'tabs', 'appMenu', 'quickActions', 'queryAll', 'commerce', 'wave', 'iot', 'analytics',
        'search', 'smartdatadiscovery', 'identity', 'composite', 'parameterizedSearch', 'fingerprint', 'theme', 'nouns', 'recent',
        'licensing', 'limits', 'process', 'sobjects', 'actions', 'support', 'asyncQuery', 'connect', 'dedupe', 'jobs', 'scheduling',
        'localizedvalue', 'event', 'consent', 'ui-api', 'knowledgeManagement', 'sites', 'mobile'];
      const body: Record<string, string> = {};
      for (const n of names) body[n] = n === 'identity' ? identityUrl(req.actor.user.id) : `${base}/${n}`;
      return { status: 200, body };
    })
    .add('GET', '/limits', () => {
      const used = stats.snapshot().total;
      return {
        status: 200,
        body: {
          DailyApiRequests: { Max: DAILY_API_REQUESTS, Remaining: Math.max(0, DAILY_API_REQUESTS - used) },
          DataStorageMB: { Max: 5, Remaining: 5 },
          DailyStandardVolumePlatformEvents: { Max: 10_000, Remaining: Math.max(0, 10_000 - org.events.list('Partner_Center_Sync_Status__e').length) },
        },
      };
    });
}
