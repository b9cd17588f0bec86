import { Router } from 'express';
import { AuditQuery } from '../../audit/audit.dto';
import { establishmentScope } from '../../common/auth-user';
import {
  checkDto,
  dateItems,
  type DateValues,
  fieldWording,
  pageNumber,
  pagination,
  parseDate,
  readDate,
  text,
  toFormErrors,
} from '../forms';
import { handle, requireRole } from '../guards';
import { type NameServices, pageNames } from '../names';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

const PAGE_SIZE = 50;

interface AuditValues {
  entityType: string;
  entityId: string;
  username: string;
  from: DateValues;
  to: DateValues;
}

const AUDIT_IDS: Record<string, string> = {
  entityType: 'entityType',
  entityId: 'entityId',
  username: 'username',
  from: 'from-day',
  to: 'to-day',
};

/** The audit search: who read or changed what, and when, in the user's establishment. */
export function auditRoutes({
  audit,
  ...nameServices
}: Pick<WebServices, 'audit' | NameServices>): Router {
  const router = Router();

  router.get(
    '/audit',
    requireRole('SECURITY_MANAGER'),
    handle(async (req, res) => {
      const user = webUser(req);
      const q = req.query as Record<string, unknown>;
      const values: AuditValues = {
        entityType: text(q.entityType).trim(),
        entityId: text(q.entityId).trim(),
        username: text(q.username).trim(),
        from: readDate(q, 'from'),
        to: readDate(q, 'to'),
      };
      const from = parseDate(values.from, 'The from date');
      const to = parseDate(values.to, 'The to date', true);
      const page = pageNumber(q.page);
      const { dto, errors } = await checkDto(AuditQuery, {
        entityType: values.entityType || undefined,
        entityId: values.entityId || undefined,
        username: values.username || undefined,
        from: from.date,
        to: to.date,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      if (from.error) errors.push({ field: 'from', message: from.error });
      if (to.error) errors.push({ field: 'to', message: to.error });
      if (!from.error && !to.error && from.date && to.date && to.date < from.date) {
        errors.push({
          field: 'to',
          message: 'The to date must be the same as or after the from date',
        });
      }
      const formErrors = toFormErrors(errors, fieldWording(AUDIT_IDS));
      const result = errors.length
        ? { rows: [], total: 0 }
        : await audit.search(
            user,
            {
              ...dto,
              establishments: establishmentScope(user, user.activeEstablishment ?? undefined),
            },
            'web',
          );
      const query = {
        entityType: values.entityType,
        entityId: values.entityId,
        username: values.username,
        'from-day': values.from.day,
        'from-month': values.from.month,
        'from-year': values.from.year,
        'to-day': values.to.day,
        'to-month': values.to.month,
        'to-year': values.to.year,
      };
      res.status(errors.length ? 400 : 200).render('pages/security/audit', {
        ...(await pageNames(nameServices, { staff: result.rows.map((e) => e.username) })),
        values,
        errorSummary: formErrors.summary,
        errorFor: formErrors.byId,
        fromItems: dateItems('from', values.from, Boolean(formErrors.byId['from-day'])),
        toItems: dateItems('to', values.to, Boolean(formErrors.byId['to-day'])),
        events: result.rows,
        total: result.total,
        firstShown: result.total ? (page - 1) * PAGE_SIZE + 1 : 0,
        lastShown: Math.min(page * PAGE_SIZE, result.total),
        pagination: pagination('/audit', page, result.total, PAGE_SIZE, query),
      });
    }),
  );

  return router;
}
