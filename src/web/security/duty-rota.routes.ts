import { Router, type Request, type Response } from 'express';
import { FieldError, ValidationFailed } from '../../common/errors';
import {
  dateItems,
  type DateValues,
  emptyDate,
  type FormErrors,
  londonTime,
  NO_ERRORS,
  readDate,
  text,
  toFormErrors,
} from '../forms';
import { handle, requireRole } from '../guards';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

interface ShiftValues {
  username: string;
  from: DateValues;
  fromTime: string;
  to: DateValues;
  toTime: string;
}

const EMPTY: ShiftValues = {
  username: '',
  from: emptyDate(),
  fromTime: '',
  to: emptyDate(),
  toTime: '',
};

/** A date input and an "HH:MM" time, London time, as an instant; or the error to show. */
function readInstant(d: DateValues, time: string, label: string): { at?: Date; error?: string } {
  const hm = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!d.day || !d.month || !d.year) return { error: `Enter the day ${label}` };
  if (!hm) return { error: `Enter the time ${label}, like 22:00` };
  const at = londonTime(
    Number(d.year),
    Number(d.month),
    Number(d.day),
    Number(hm[1]),
    Number(hm[2]),
  );
  return at ? { at } : { error: `The day and time ${label} must be real` };
}

/**
 * The duty security rota of the user's establishment (security managers and administrators): who
 * is on duty now, the shifts, adding one and taking one off. The duty security contact is emailed
 * at once about security and safer-custody escalations. Saved with the API's PUT, whole.
 */
export function dutyRotaRoutes({
  notifications,
  staff,
}: Pick<WebServices, 'notifications' | 'staff'>): Router {
  const router = Router();
  const roles = requireRole('SECURITY_MANAGER', 'ADMIN');

  async function render(
    req: Request,
    res: Response,
    values: ShiftValues,
    errors: FormErrors = NO_ERRORS,
    status = 200,
  ) {
    const user = webUser(req);
    const code = user.activeEstablishment;
    if (!code) return res.status(200).render('pages/security/duty-rota', { noEstablishment: true });
    const rota = await notifications.dutyRota(user, code, {});
    const managers = await staff.list(user, {
      establishment: code,
      role: 'SECURITY_MANAGER',
      limit: 500,
      offset: 0,
    });
    return res.status(status).render('pages/security/duty-rota', {
      rota,
      values,
      errorSummary: errors.summary,
      errorFor: errors.byId,
      staffItems: [
        { value: '', text: 'Choose a security manager' },
        ...managers.items.map((m) => ({
          value: m.username,
          text: `${m.displayName} (${m.username})${m.email ? '' : ' – no email address'}`,
          selected: m.username === values.username,
        })),
      ],
      fromItems: dateItems('from', values.from, !!errors.byId['from-day']),
      toItems: dateItems('to', values.to, !!errors.byId['to-day']),
    });
  }

  router.get(
    '/duty-rota',
    roles,
    handle((req, res) => render(req, res, EMPTY)),
  );

  router.post(
    '/duty-rota',
    roles,
    handle(async (req, res) => {
      const user = webUser(req);
      const code = user.activeEstablishment;
      if (!code) return res.redirect(303, '/duty-rota');
      const body = req.body as Record<string, unknown>;
      const values: ShiftValues = {
        username: text(body.username),
        from: readDate(body, 'from'),
        fromTime: text(body.fromTime),
        to: readDate(body, 'to'),
        toTime: text(body.toTime),
      };
      const errors: FieldError[] = [];
      if (!values.username) errors.push({ field: 'username', message: 'Choose who is on duty' });
      const from = readInstant(values.from, values.fromTime, 'the shift starts');
      const to = readInstant(values.to, values.toTime, 'the shift ends');
      if (from.error) errors.push({ field: 'from-day', message: from.error });
      if (to.error) errors.push({ field: 'to-day', message: to.error });
      if (from.at && to.at && to.at <= from.at)
        errors.push({ field: 'to-day', message: 'The shift must end after it starts' });
      const invalid = (details: FieldError[]) =>
        render(req, res, values, toFormErrors(details), 400);
      if (errors.length) return invalid(errors);
      const current = await notifications.dutyRota(user, code, {});
      try {
        await notifications.putDutyRota(user, code, {
          entries: [
            ...current.entries.map((e) => ({ username: e.username, from: e.from, to: e.to })),
            { username: values.username, from: from.at!, to: to.at! },
          ],
        });
      } catch (err) {
        if (err instanceof ValidationFailed)
          return invalid([{ field: 'username', message: err.details[0]?.message ?? err.message }]);
        throw err;
      }
      req.session.flash = { type: 'success', heading: 'The shift is on the duty rota' };
      return res.redirect(303, '/duty-rota');
    }),
  );

  router.post(
    '/duty-rota/remove',
    roles,
    handle(async (req, res) => {
      const user = webUser(req);
      const code = user.activeEstablishment;
      if (!code) return res.redirect(303, '/duty-rota');
      const index = Number(text((req.body as Record<string, unknown>).index));
      const current = await notifications.dutyRota(user, code, {});
      if (Number.isInteger(index) && index >= 0 && index < current.entries.length) {
        await notifications.putDutyRota(user, code, {
          entries: current.entries
            .filter((_e, i) => i !== index)
            .map((e) => ({ username: e.username, from: e.from, to: e.to })),
        });
        req.session.flash = { type: 'success', heading: 'The shift is off the duty rota' };
      }
      return res.redirect(303, '/duty-rota');
    }),
  );

  return router;
}
