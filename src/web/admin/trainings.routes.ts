import { Router, type Request, type Response } from 'express';
import { FieldError } from '../../common/errors';
import { Training, TRAININGS } from '../../common/vocabulary';
import { TrainingRecord, trainingDatesProblem } from '../../staff/training-records';
import {
  dateItems,
  type DateValues,
  dayValues,
  emptyDate,
  list,
  parseDay,
  readDate,
  toFormErrors,
  type FormErrors,
  NO_ERRORS,
} from '../forms';
import { handle, requireRole } from '../guards';
import { label } from '../labels';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

/** One training's part of the form, as typed. */
interface TrainingValues {
  code: Training;
  held: boolean;
  completedOn: DateValues;
  expiresOn: DateValues;
}

const USERNAME = /^[a-z0-9._-]{2,64}$/i;

/**
 * An administrator records a staff member's trainings with the day each was completed and the day
 * it expires: from its expiry day a training no longer makes the listener eligible for the calls
 * that need it (README "Trainings and eligibility").
 */
export function trainingsRoutes({ staff }: Pick<WebServices, 'staff'>): Router {
  const router = Router();

  async function render(
    req: Request,
    res: Response,
    values: TrainingValues[] | null,
    errors: FormErrors = NO_ERRORS,
  ) {
    const found = await staff.get(webUser(req), String(req.params.username));
    const shown =
      values ??
      TRAININGS.map((code): TrainingValues => {
        const r = found.trainingRecords.find((x) => x.code === code);
        return {
          code,
          held: Boolean(r),
          completedOn: dayValues(r?.completedOn ?? null),
          expiresOn: dayValues(r?.expiresOn ?? null),
        };
      });
    res.status(errors.summary.length ? 400 : 200).render('pages/admin/trainings', {
      person: found,
      errorSummary: errors.summary,
      errorFor: errors.byId,
      trainings: shown.map((v) => ({
        code: v.code,
        name: label('training', v.code),
        held: v.held,
        record: found.trainingRecords.find((x) => x.code === v.code) ?? null,
        completedItems: dateItems(
          `${v.code}-completedOn`,
          v.completedOn,
          Boolean(errors.byId[`${v.code}-completedOn-day`]),
        ),
        expiresItems: dateItems(
          `${v.code}-expiresOn`,
          v.expiresOn,
          Boolean(errors.byId[`${v.code}-expiresOn-day`]),
        ),
      })),
    });
  }

  router.get(
    '/staff/:username/trainings',
    requireRole('ADMIN'),
    handle(async (req, res, next) => {
      if (!USERNAME.test(String(req.params.username))) return next();
      await render(req, res, null);
    }),
  );

  router.post(
    '/staff/:username/trainings',
    requireRole('ADMIN'),
    handle(async (req, res, next) => {
      const username = String(req.params.username);
      if (!USERNAME.test(username)) return next();
      const body = req.body as Record<string, unknown>;
      const held = list(body.held);
      const values = TRAININGS.map((code): TrainingValues => ({
        code,
        held: held.includes(code),
        completedOn: held.includes(code) ? readDate(body, `${code}-completedOn`) : emptyDate(),
        expiresOn: held.includes(code) ? readDate(body, `${code}-expiresOn`) : emptyDate(),
      }));
      const errors: FieldError[] = [];
      const records: TrainingRecord[] = [];
      for (const v of values) {
        if (!v.held) continue;
        const name = label('training', v.code).toLowerCase();
        const completed = parseDay(v.completedOn, `The date the ${name} training was completed`);
        const expires = parseDay(v.expiresOn, `The expiry date of the ${name} training`);
        if (completed.error)
          errors.push({ field: `${v.code}-completedOn-day`, message: completed.error });
        if (expires.error)
          errors.push({ field: `${v.code}-expiresOn-day`, message: expires.error });
        const record: TrainingRecord = {
          code: v.code,
          completedOn: completed.day ?? null,
          expiresOn: expires.day ?? null,
        };
        if (!completed.error && !expires.error && trainingDatesProblem(record)) {
          errors.push({
            field: `${v.code}-expiresOn-day`,
            message: `The expiry date of the ${name} training must be after the date it was completed`,
          });
        }
        records.push(record);
      }
      if (errors.length) return render(req, res, values, toFormErrors(errors));

      const user = webUser(req);
      const found = await staff.get(user, username);
      await staff.put(user, username, {
        displayName: found.displayName,
        roles: found.roles,
        establishments: found.establishments,
        trainings: records,
        languages: found.languages,
      });
      req.session.flash = {
        type: 'success',
        heading: `Trainings of ${found.displayName} (${username}) saved`,
      };
      return res.redirect(303, '/staff');
    }),
  );

  return router;
}
