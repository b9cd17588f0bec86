import * as http from 'node:http';
import { now } from './util';

export interface HttpResponse<T = unknown> {
  status: number;
  body: T;
  /** Time from sending the request to the end of the response, in ms. */
  ms: number;
}

/**
 * A keep-alive HTTP/1.1 client on node:http (lighter per request than fetch, which matters when the
 * load generator shares two cores with the api and PostgreSQL).
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets = 64) {
    const u = new URL(baseUrl);
    this.host = u.hostname;
    this.port = Number(u.port || 80);
    // Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout closes them
    // under a request that is being sent (ECONNRESET between phases).
    this.agent = new http.Agent({ keepAlive: true, maxSockets, timeout: 4_000 });
  }

  request<T = unknown>(
    method: string,
    path: string,
    options: { token?: string; body?: Buffer | string | object; timeoutMs?: number } = {},
  ): Promise<HttpResponse<T>> {
    const payload =
      options.body === undefined
        ? null
        : Buffer.isBuffer(options.body)
          ? options.body
          : Buffer.from(
              typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
            );
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    return new Promise((resolve, reject) => {
      const t0 = now();
      const req = http.request(
        { host: this.host, port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => {
            const ms = now() - t0;
            const text = Buffer.concat(parts).toString('utf8');
            let body: unknown = text;
            if (text && (res.headers['content-type'] ?? '').includes('json')) {
              try {
                body = JSON.parse(text);
              } catch {
                body = text;
              }
            }
            resolve({ status: res.statusCode ?? 0, body: body as T, ms });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(options.timeoutMs ?? 120_000, () =>
        req.destroy(new Error(`${method} ${path} timed out`)),
      );
      req.on('error', reject);
      req.end(payload ?? undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export async function token(
  client: HttpClient,
  username: string,
  password: string,
): Promise<string> {
  const res = await client.request<{ accessToken?: string }>('POST', '/api/auth/token', {
    body: { username, password },
  });
  if (res.status !== 200 || !res.body.accessToken)
    throw new Error(`Sign-in of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}
