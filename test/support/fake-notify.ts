import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake Notify answers to a send (lists still answer): the 201, or an error answer. */
export type NotifyMode = 'OK' | 400 | 403 | 429 | 500;

/** Notify's documented error bodies (`{ status_code, errors: [{ error, message }] }`). */
const ERRORS: Record<Exclude<NotifyMode, 'OK'>, { error: string; message: string }> = {
  400: {
    error: 'BadRequestError',
    message: "Can't send to this recipient using a team-only API key",
  },
  403: { error: 'AuthError', message: 'Invalid token: API key not found' },
  429: {
    error: 'RateLimitError',
    message: 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds',
  },
  500: { error: 'Exception', message: 'Internal server error' },
};

export interface SentEmail {
  id: string;
  reference: string | null;
  email_address: string;
  template_id: string;
  personalisation: Record<string, string>;
}

/**
 * A local GOV.UK Notify speaking the API's published shapes, for the real
 * `notifications-node-client`: POST /v2/notifications/email (201 with id, reference, content,
 * uri and template; or an error body) and GET /v2/notifications?reference= (the notifications
 * list). Every request must carry `Authorization: Bearer <JWT>` signed (HS256) with the key's
 * secret and issued by its service id, as Notify checks; else 403 AuthError.
 */
export class FakeNotify {
  readonly serviceId = randomUUID();
  readonly secret = randomUUID();
  readonly apiKey = `mpc_test-${this.serviceId}-${this.secret}`;
  mode: NotifyMode = 'OK';
  /** Milliseconds each send waits before answering (to hold two senders over one request). */
  delayMs = 0;
  /** Emails Notify accepted (201). */
  readonly sent: SentEmail[] = [];
  /** Every send request, accepted or refused, with the answer's status. */
  readonly attempts: { reference: string | null; status: number }[] = [];
  private server?: Server;

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  sentTo(email: string): SentEmail[] {
    return this.sent.filter((s) => s.email_address === email);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!this.authorised(req.headers.authorization)) {
      return json(403, {
        status_code: 403,
        errors: [{ error: 'AuthError', message: 'Invalid token: signature, api token not found' }],
      });
    }
    if (req.method === 'POST' && url.pathname === '/v2/notifications/email') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        template_id?: string;
        email_address?: string;
        personalisation?: Record<string, string>;
        reference?: string;
      };
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      const reference = body.reference ?? null;
      if (this.mode !== 'OK') {
        this.attempts.push({ reference, status: this.mode });
        return json(this.mode, { status_code: this.mode, errors: [ERRORS[this.mode]] });
      }
      if (!body.template_id || !body.email_address) {
        this.attempts.push({ reference, status: 400 });
        return json(400, {
          status_code: 400,
          errors: [{ error: 'ValidationError', message: 'email_address is a required property' }],
        });
      }
      const id = randomUUID();
      this.sent.push({
        id,
        reference,
        email_address: body.email_address,
        template_id: body.template_id,
        personalisation: body.personalisation ?? {},
      });
      this.attempts.push({ reference, status: 201 });
      return json(201, {
        id,
        reference,
        content: {
          subject: 'Monitor prisoner communications',
          body: Object.entries(body.personalisation ?? {})
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n'),
          from_email: 'mpc@notifications.service.gov.uk',
          one_click_unsubscribe_url: null,
        },
        uri: `${this.url}/v2/notifications/${id}`,
        template: {
          id: body.template_id,
          version: 1,
          uri: `${this.url}/services/${this.serviceId}/templates/${body.template_id}`,
        },
      });
    }
    if (req.method === 'GET' && url.pathname === '/v2/notifications') {
      const reference = url.searchParams.get('reference');
      const found = this.sent.filter((s) => !reference || s.reference === reference);
      return json(200, {
        notifications: found.map((s) => ({
          id: s.id,
          reference: s.reference,
          email_address: s.email_address,
          type: 'email',
          status: 'delivered',
          template: { id: s.template_id, version: 1, uri: '' },
          created_at: new Date().toISOString(),
        })),
        links: { current: `${this.url}/v2/notifications` },
      });
    }
    return json(404, {
      status_code: 404,
      errors: [{ error: 'NotFoundError', message: 'Not found' }],
    });
  }

  /** Notify's check: a JWT (HS256) whose `iss` is the service id, signed with the key's secret. */
  private authorised(header: string | undefined): boolean {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) return false;
    const [head, payload, signature] = token.split('.');
    if (!head || !payload || !signature) return false;
    const expected = createHmac('sha256', this.secret).update(`${head}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      iss?: string;
      iat?: number;
    };
    return claims.iss === this.serviceId && typeof claims.iat === 'number';
  }
}
