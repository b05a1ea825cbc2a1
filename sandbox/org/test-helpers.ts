/** Shared by the local org's tests: jsforce connections as each user, and a stand-in connector endpoint. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jsforce, { type Connection } from 'jsforce';
import type { LocalOrg } from './index.js';

/** Logs in as jsforce would against a real org: client credentials for the connector, password for people. */
export async function connectAs(org: LocalOrg, who: 'integration' | 'seller' | 'admin'): Promise<Connection> {
  if (who === 'integration') {
    const { clientId, clientSecret } = org.integrationCredentials;
    const conn = new jsforce.Connection({ oauth2: new jsforce.OAuth2({ loginUrl: org.loginUrl, clientId, clientSecret }), version: org.apiVersion });
    await conn.authorize({ grant_type: 'client_credentials' });
    return conn;
  }
  const creds = who === 'seller' ? org.sellerCredentials : org.adminCredentials;
  const conn = new jsforce.Connection({
    oauth2: new jsforce.OAuth2({ loginUrl: org.loginUrl, clientId: creds.clientId, clientSecret: creds.clientSecret }),
    version: org.apiVersion,
  });
  await conn.login(creds.username, creds.password);
  return conn;
}

/** Runs fn and returns the error it throws (fails the test when it does not throw). */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & { errorCode?: string; data?: unknown }> {
  try {
    await fn();
  } catch (err) {
    return err as Error & { errorCode?: string; data?: unknown };
  }
  throw new Error('expected the call to fail');
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A minimal HTTP endpoint standing in for the connector: records requests, answers with a chosen status. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  status = 202;
  delayMs = 0;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        setTimeout(() => {
          res.writeHead(this.status, { 'Content-Type': 'application/json' });
          res.end(this.status === 202 ? '{"accepted":true}' : '{"error":"unavailable"}');
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
