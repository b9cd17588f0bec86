import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { queryRows } from '../../db/sql';
import type { LogFormValues } from './log-form';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A log being written when the listener's session ended (expired, or signed out in another tab):
 * the Submit arrives with no session, so it cannot be saved as a log, but the form still carries the
 * claim's token. If that token is the call's live lease, what was typed is kept here, encrypted
 * (AES-256-GCM, a key derived from the token secret), and shown again when the listener who holds
 * the claim signs in and opens the call. A draft lasts only as long as its claim: it is never shown
 * once the claim has ended, and the lease sweep deletes it.
 */
export class LogDrafts {
  private readonly key: Buffer;

  constructor(
    private readonly db: DataSource,
    config: AppConfig,
  ) {
    this.key = createHmac('sha256', config.JWT_SECRET).update('log-drafts').digest();
  }

  /** Keeps the form for the call if `token` is its live lease; returns whether it was kept. */
  async keepIfClaimLive(callId: string, token: string, values: LogFormValues): Promise<boolean> {
    const rows = await queryRows<{ callId: string }>(
      this.db,
      `INSERT INTO log_drafts (call_id, username, claim_token, content)
       SELECT c.id, c.claimed_by, c.claim_token, $3 FROM calls c
       WHERE c.id = $1 AND c.status = 'CLAIMED' AND c.claim_token::text = $2 AND c.claim_expires_at > now()
       ON CONFLICT (call_id) DO UPDATE SET username = excluded.username,
         claim_token = excluded.claim_token, content = excluded.content, saved_at = now()
       RETURNING call_id AS "callId"`,
      [callId, token, this.seal(values)],
    );
    return rows.length > 0;
  }

  /** The form kept for this call under the claim `username` holds now, if any. */
  async find(callId: string, username: string): Promise<LogFormValues | null> {
    const rows = await queryRows<{ content: Buffer }>(
      this.db,
      `SELECT d.content FROM log_drafts d JOIN calls c ON c.id = d.call_id
       WHERE d.call_id = $1 AND d.username = $2 AND c.status = 'CLAIMED' AND c.claimed_by = $2
         AND c.claim_token = d.claim_token AND c.claim_expires_at > now()`,
      [callId, username],
    );
    return rows[0] ? this.open(rows[0].content) : null;
  }

  async discard(callId: string): Promise<void> {
    await this.db.query(`DELETE FROM log_drafts WHERE call_id = $1`, [callId]);
  }

  private seal(values: LogFormValues): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Null for a draft that does not open (the secret was rotated): as if none had been kept. */
  private open(sealed: Buffer): LogFormValues | null {
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const json = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
      return JSON.parse(json) as LogFormValues;
    } catch {
      return null;
    }
  }
}
