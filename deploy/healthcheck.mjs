// Container HEALTHCHECK for the connector: GET /healthz on its own port; exit 0 on 200, 1 otherwise. The slim
// Node image has no curl, so Node does it. On failure the health report's reason is printed: `docker inspect`
// keeps the output of the last checks, which is where an operator looks first. The reason is only given to a
// caller holding the sync-request secret, which the container has in its environment.
import { readFileSync } from 'node:fs';

const port = process.env.COSELL_PORT || '8787';
const url = `http://127.0.0.1:${port}/healthz`;
let secret = process.env.COSELL_SYNC_REQUEST_SECRET;
try {
  if (!secret && process.env.COSELL_SYNC_REQUEST_SECRET_FILE) secret = readFileSync(process.env.COSELL_SYNC_REQUEST_SECRET_FILE, 'utf8').trim();
} catch {
  // Without it the status still tells healthy from not.
}

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000), headers: secret ? { authorization: `Bearer ${secret}` } : {} });
  if (response.ok) process.exit(0);
  const body = await response.text();
  console.error(`${url} answered ${response.status}: ${body.slice(0, 500)}`);
} catch (error) {
  console.error(`${url} did not answer: ${error instanceof Error ? error.message : String(error)}`);
}
process.exit(1);
