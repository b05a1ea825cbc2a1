/**
 * A loopback reverse proxy that records every exchange byte for byte: what the end-to-end suite puts on the wire
 * between two parties to see what one sent the other (the connector's If-Match headers and JSON Patch bodies to
 * Partner Center; Partner Center's signed webhook deliveries, which an attacker could capture and replay).
 */
import { request as httpRequest, createServer, Agent, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TappedExchange {
  method: string;
  /** Path and query, as the client sent it. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The answer the client got; null while in flight or when forwarding failed. */
  status: number | null;
}

/** Headers that belong to one connection, not to the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

export class WireTap {
  readonly exchanges: TappedExchange[] = [];
  /** Where requests are forwarded (an origin such as http://127.0.0.1:1234); settable once the target listens. */
  target: string | null;
  /**
   * While set, requests are recorded and answered with this status without being forwarded: the capture of a
   * delivery that never reaches its receiver (the attacker keeps it to replay later).
   */
  holdWith: number | null = null;
  /** Answers a request with the status it returns instead of forwarding it (null forwards): a failing delivery. */
  refuse: ((exchange: TappedExchange) => number | null) | null = null;
  url = '';
  readonly #agent = new Agent({ keepAlive: true });
  #server!: Server;

  constructor(target: string | null = null) {
    this.target = target;
  }

  async start(): Promise<this> {
    this.#server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const exchange: TappedExchange = { method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers, body: Buffer.concat(chunks), status: null };
        this.exchanges.push(exchange);
        const refused = this.refuse?.(exchange) ?? null;
        if (this.holdWith !== null || refused !== null || !this.target) {
          exchange.status = this.holdWith ?? refused ?? 502;
          outgoing.writeHead(exchange.status, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        const upstream = httpRequest(
          new URL(exchange.url, this.target),
          { method: exchange.method, headers: { ...endToEnd(exchange.headers), host: new URL(this.target).host }, agent: this.#agent },
          (answer) => {
            exchange.status = answer.statusCode ?? 502;
            outgoing.writeHead(exchange.status, endToEnd(answer.headers));
            answer.pipe(outgoing);
          },
        );
        upstream.on('error', (error) => {
          if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'application/json' });
          outgoing.end(JSON.stringify({ error: 'bad_gateway', message: error.message }));
        });
        upstream.end(exchange.body);
      });
    });
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** Exchanges matching a method and a path pattern (the query string is ignored). */
  find(method: string, path: RegExp): TappedExchange[] {
    return this.exchanges.filter((e) => e.method === method && path.test(e.url.split('?')[0]));
  }

  async close(): Promise<void> {
    this.#agent.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
