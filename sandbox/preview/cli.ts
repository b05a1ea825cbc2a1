/**
 * `npx tsx sandbox/preview/cli.ts [--port N] [--org-port N]`: starts a local org with the demo data and the
 * component preview on loopback, prints each component page's URL, and runs until interrupted.
 */
import { parseArgs } from 'node:util';
import { startLocalOrg } from '../org/index.js';
import { RECORD_COMPONENTS } from './page.js';
import { previewableComponents, startPreview } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4400' },
    'org-port': { type: 'string', default: '0' },
  },
});

const org = await startLocalOrg({ port: Number(values['org-port']), seed: true });
const preview = await startPreview({ org, port: Number(values.port) });

const opportunities = org.control.records.query('SELECT Id, Name, Partner_Center_Sync_Status__c FROM Opportunity ORDER BY Name');
console.log(`Local org:  ${org.url}`);
console.log(`Preview:    ${preview.url}/  (every component, user and record)`);
for (const component of previewableComponents()) {
  if (RECORD_COMPONENTS.has(component)) {
    for (const opportunity of opportunities) {
      console.log(`  ${component} · ${opportunity.Name}: ${preview.pageUrl(component, { recordId: String(opportunity.Id), user: 'seller' })}`);
    }
  } else if (component === 'partnerCenterSetup') {
    console.log(`  ${component}: ${preview.pageUrl(component, { user: 'admin' })}`);
  } else {
    console.log(`  ${component}: ${preview.pageUrl(component, { user: 'seller' })}`);
  }
}
const users = org.control.users.list().filter((u) => u.password).map((u) => u.key);
console.log(`Users: ?user=${users.join(' | ')} (viewer can read but not edit); languages: ?lang=it | pt_BR | ru | sv. Ctrl+C stops.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await preview.close();
  await org.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
