import { Injectable, Logger } from '@nestjs/common';
import axios from 'axios';
import { NotifyClient } from 'notifications-node-client';
import { AppConfig } from '../config/app-config';
import { NOTIFY_TIMEOUT_MS, outcomeOf, SendOutcome } from './notification-rules';

export interface EmailToSend {
  templateId: string;
  emailAddress: string;
  personalisation: Record<string, string>;
  /** Our row's id: Notify keeps it, and lists the notification by it. */
  reference: string;
}

export type SendResult =
  { ok: true; notifyId: string } | { ok: false; outcome: SendOutcome; error: string };

/** What a Notify client error carries (axios underneath): the HTTP status and Notify's body. */
interface NotifyError {
  message?: string;
  response?: {
    status?: number;
    data?: { status_code?: number; errors?: { error?: string; message?: string }[] };
  };
}

/**
 * GOV.UK Notify through its maintained client, `notifications-node-client`. Without
 * NOTIFY_API_KEY the gateway is not live: the sender then logs each notification instead ("log
 * only"). NOTIFY_BASE_URL points the client elsewhere (the tests' local Notify).
 */
@Injectable()
export class NotifyGateway {
  private readonly logger = new Logger(NotifyGateway.name);
  private readonly client: NotifyClient | null;

  constructor(config: AppConfig) {
    this.client = config.NOTIFY_API_KEY
      ? new NotifyClient(config.NOTIFY_BASE_URL, config.NOTIFY_API_KEY)
      : null;
    // The client's own HTTP client (axios) with a timeout: a send that outlasts it is aborted,
    // never left to reach Notify after its row has been handed to another try.
    this.client?.setClient(axios.create({ timeout: NOTIFY_TIMEOUT_MS }));
  }

  get live(): boolean {
    return this.client !== null;
  }

  async sendEmail(email: EmailToSend): Promise<SendResult> {
    try {
      const response = await this.notify().sendEmail(email.templateId, email.emailAddress, {
        personalisation: email.personalisation,
        reference: email.reference,
      });
      return { ok: true, notifyId: response.data.id };
    } catch (err) {
      return failure(err);
    }
  }

  /**
   * The Notify id of the email sent with this reference, if any: asked before a row whose earlier
   * try may have reached Notify is sent again. Throws (the row is retried later) when Notify does
   * not answer.
   */
  async findByReference(reference: string): Promise<string | null> {
    const response = await this.notify().getNotifications('email', undefined, reference);
    const match = response.data.notifications.find((n) => n.reference === reference);
    if (match)
      this.logger.log({ reference, notifyId: match.id }, 'Already sent: found by reference');
    return match?.id ?? null;
  }

  private notify(): NotifyClient {
    if (!this.client) throw new Error('Notify is not configured (no NOTIFY_API_KEY)');
    return this.client;
  }
}

/** Notify's answer to a refused send, as "RateLimitError: Exceeded rate limit …" with the outcome. */
export function failure(err: unknown): { ok: false; outcome: SendOutcome; error: string } {
  const e = err as NotifyError;
  const status = e.response?.status ?? null;
  const first = e.response?.data?.errors?.[0];
  const error = first
    ? `${status ?? ''} ${first.error ?? 'Error'}: ${first.message ?? ''}`.trim()
    : `${status ?? 'no answer'}: ${e.message ?? String(err)}`;
  return { ok: false, outcome: outcomeOf(status), error: error.slice(0, 1000) };
}
