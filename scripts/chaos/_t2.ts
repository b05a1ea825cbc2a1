import { runChaos } from './run.js';
const t = Date.now();
const r = await runChaos({ seed: 1, scenarios: 1, logLevel: 'info', keepWorkDir: true, onScenario: (x) => console.log('scenario done', Date.now() - t, x.convergedSeconds) });
console.log('all done', Date.now() - t, r.workDir);
