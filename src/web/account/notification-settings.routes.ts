import { Router, type Request, type Response } from 'express';
import { ESCALATION_NOTICE_MODES } from '../../common/vocabulary';
import { MyNotificationSettingsDto } from '../../staff/staff.dto';
import { checkDto, fieldWording, type FormErrors, NO_ERRORS, text, toFormErrors } from '../forms';
import { handle } from '../guards';
import { ESCALATION_NOTICE_HINTS, label } from '../labels';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

interface SettingsValues {
  email: string;
  escalations: string;
}

const WORDING = fieldWording(
  { email: 'email', notifications: 'escalations', 'notifications.escalations': 'escalations' },
  {
    email: (raw) =>
      /longer than/.test(raw)
        ? 'The email address must be 320 characters or fewer'
        : 'Enter an email address, like name@justice.gov.uk',
    notifications: () => 'Choose how escalations reach you',
    'notifications.escalations': () => 'Choose how escalations reach you',
  },
);

/**
 * "My notification settings", for every signed-in member of staff: the email address GOV.UK
 * Notify writes to and whether escalations come at once or in the daily digest.
 */
export function notificationSettingsRoutes({ staff }: Pick<WebServices, 'staff'>): Router {
  const router = Router();

  async function render(
    req: Request,
    res: Response,
    values: SettingsValues | null,
    errors: FormErrors = NO_ERRORS,
    status = 200,
  ) {
    const user = webUser(req);
    const me = await staff.get(user, user.username).catch(() => null);
    const shown: SettingsValues = values ?? {
      email: me?.email ?? '',
      escalations: me?.notifications.escalations ?? 'IMMEDIATE',
    };
    res.status(status).render('pages/account/notification-settings', {
      values: shown,
      errorSummary: errors.summary,
      errorFor: errors.byId,
      modeItems: ESCALATION_NOTICE_MODES.map((mode) => ({
        value: mode,
        text: label('escalationNotice', mode),
        hint: { text: ESCALATION_NOTICE_HINTS[mode] },
        checked: shown.escalations === mode,
      })),
    });
  }

  router.get(
    '/notification-settings',
    handle((req, res) => render(req, res, null)),
  );

  router.post(
    '/notification-settings',
    handle(async (req, res) => {
      const body = req.body as Record<string, unknown>;
      const values: SettingsValues = {
        email: text(body.email).trim(),
        escalations: text(body.escalations),
      };
      const { dto, errors } = await checkDto(MyNotificationSettingsDto, {
        email: values.email || null,
        notifications: { escalations: values.escalations || undefined },
      });
      if (errors.length) return render(req, res, values, toFormErrors(errors, WORDING), 400);
      await staff.setMyNotifications(webUser(req), dto);
      req.session.flash = { type: 'success', heading: 'Your notification settings are saved' };
      return res.redirect(303, '/notification-settings');
    }),
  );

  return router;
}
