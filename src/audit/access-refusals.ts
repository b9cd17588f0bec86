import { Logger } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user';
import { OutOfScope } from '../common/errors';
import type { AccessRefusalHook } from '../common/exception.filter';
import type { AuditService } from './audit.service';

const logger = new Logger('AccessRefusals');

/**
 * Records a signed-in user's request for another establishment's record (ACCESS_REFUSED), in that
 * establishment, so its security manager sees who tried. Anything else passes untouched. Never
 * throws: a failed audit write is logged, and the refusal is answered all the same.
 */
export async function auditAccessRefusal(
  audit: AuditService,
  user: AuthUser | undefined,
  err: unknown,
  req: { method: string; originalUrl: string },
): Promise<void> {
  if (!(err instanceof OutOfScope) || !user) return;
  try {
    await audit.record(user, {
      action: 'ACCESS_REFUSED',
      entityType: 'establishment',
      entityId: err.establishmentCode,
      establishmentCode: err.establishmentCode,
      details: { method: req.method, path: req.originalUrl.split('?')[0] },
    });
  } catch (auditErr) {
    logger.error({ err: auditErr }, 'Could not audit a refused access');
  }
}

/** The api's error filter hook (configureHttpApp): every refusal it answers is audited first. */
export function auditAccessRefusals(audit: AuditService): AccessRefusalHook {
  return (user, refusal, req) => auditAccessRefusal(audit, user, refusal, req);
}
