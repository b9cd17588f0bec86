import * as net from 'node:net';
import { now } from './util';

interface Pending {
  resolve: (r: { status: number; body: string; ms: number }) => void;
  reject: (err: Error) => void;
  sentAt: number;
}

/**
 * One keep-alive HTTP/1.1 connection with the least client-side work: requests are written as
 * prepared bytes and answers parsed only for status, Content-Length and body. The claim load runs 50
 * of these on the same two cores as the api and PostgreSQL, so the load generator's own cost matters
 * (node:http spent several times more per request). Requests go one at a time per connection.
 */
export class RawHttpConnection {
  private socket: net.Socket | null = null;
  private buffer = Buffer.alloc(0);
  private pending: Pending | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  private connect(): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      socket.once('connect', () => {
        this.socket = socket;
        resolve(socket);
      });
      socket.once('error', reject);
      socket.on('data', (d: Buffer) => this.onData(d));
      socket.on('close', () => {
        if (this.socket === socket) this.socket = null;
        const p = this.pending;
        this.pending = null;
        this.buffer = Buffer.alloc(0);
        p?.reject(new Error('connection closed'));
      });
      socket.on('error', () => undefined);
    });
  }

  private onData(d: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, d]) : d;
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0 || !this.pending) return;
    const head = this.buffer.subarray(0, headEnd).toString('latin1');
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const length = m ? Number(m[1]) : 0;
    if (!m && /\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const p = this.pending;
      this.pending = null;
      p.reject(new Error('chunked answers are not expected from the api'));
      this.close();
      return;
    }
    const total = headEnd + 4 + length;
    if (this.buffer.length < total) return;
    const body = this.buffer.subarray(headEnd + 4, total).toString('utf8');
    this.buffer = this.buffer.subarray(total);
    const p = this.pending;
    this.pending = null;
    p.resolve({ status, body, ms: now() - p.sentAt });
  }

  async request(
    method: string,
    path: string,
    token: string,
    body: string,
  ): Promise<{ status: number; body: string; ms: number }> {
    const socket = await this.connect();
    const payload = Buffer.from(body);
    const head =
      `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nConnection: keep-alive\r\n` +
      `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${payload.length}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, sentAt: now() };
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), payload]));
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}
