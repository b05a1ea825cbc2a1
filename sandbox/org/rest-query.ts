/** The query resources: /query?q=, /queryAll?q= and the /query/<locator> pages of a large result. */
import { ApiError } from './errors.js';
import type { Org } from './org.js';
import type { RestRequest, RestResponse, RestRouter } from './rest-router.js';

/** `Sforce-Query-Options: batchSize=500` asks for smaller pages. */
function batchSize(req: RestRequest): number | undefined {
  const header = req.headers['sforce-query-options'];
  const m = header ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  return m ? Number(m[1]) : undefined;
}

export function registerQueryRoutes(router: RestRouter, org: Org): void {
  const run = (req: RestRequest, includeDeleted: boolean): RestResponse => {
    if (req.query.has('explain')) throw new ApiError(400, 'MALFORMED_QUERY', 'Query plans (explain) are not supported by the local org');
    const q = req.query.get('q');
    if (q === null) throw new ApiError(400, 'MALFORMED_QUERY', "A query string has to be specified with the 'q' parameter");
    return { status: 200, body: org.queries.execute(q, { includeDeleted, version: req.version, batchSize: batchSize(req) }) };
  };
  const more = (req: RestRequest, locator: string): RestResponse => ({ status: 200, body: org.queries.more(locator, req.version) });

  router
    .add('GET', '/query', (req) => run(req, false))
    .add('GET', '/queryAll', (req) => run(req, true))
    .add('GET', '/query/:locator', (req, p) => more(req, p.locator))
    .add('GET', '/queryAll/:locator', (req, p) => more(req, p.locator));
}
