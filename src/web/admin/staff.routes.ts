import { Router } from 'express';
import { Conflict } from '../../common/errors';
import { ESTABLISHMENT_CODE, Role, ROLES } from '../../common/vocabulary';
import { pageNumber, pagination, text } from '../forms';
import { handle, requireRole } from '../guards';
import { label } from '../labels';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

const PAGE_SIZE = 50;

/**
 * The administrator's work in the workbench: the staff accounts, by role, and switching an account
 * off (it can no longer sign in; its tokens and sessions stop within seconds) or on again; their
 * trainings and dates are recorded on the trainings page (trainings.routes.ts). Creating an account
 * or changing its roles is done through the API (`PUT /api/staff/{username}`) for now.
 */
export function staffRoutes({ staff }: Pick<WebServices, 'staff'>): Router {
  const router = Router();

  router.get(
    '/staff',
    requireRole('ADMIN'),
    handle(async (req, res) => {
      const role = ROLES.find((r) => r === text(req.query.role));
      const code = text(req.query.establishment).trim().toUpperCase();
      const establishment = ESTABLISHMENT_CODE.test(code) ? code : undefined;
      const page = pageNumber(req.query.page);
      const { items, total } = await staff.list(webUser(req), {
        role,
        establishment,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      res.render('pages/admin/staff', {
        items,
        total,
        role: role ?? '',
        establishment: code,
        establishmentError:
          code && !establishment ? 'Enter an establishment code of 3 letters, like NHI' : null,
        query: new URLSearchParams({
          ...(role ? { role } : {}),
          ...(establishment ? { establishment } : {}),
        }).toString(),
        roleItems: [
          { value: '', text: 'Every role' },
          ...ROLES.map((r: Role) => ({ value: r, text: label('role', r), selected: r === role })),
        ],
        pagination: pagination('/staff', page, total, PAGE_SIZE, { role, establishment }),
        self: webUser(req).username,
      });
    }),
  );

  router.post(
    '/staff/:username/active',
    requireRole('ADMIN'),
    handle(async (req, res) => {
      const user = webUser(req);
      const username = String(req.params.username);
      const active = text((req.body as Record<string, unknown>).active) === 'true';
      if (username === user.username && !active) {
        throw new Conflict('You cannot switch off your own account: ask another administrator.');
      }
      const found = await staff.get(user, username);
      await staff.put(user, username, {
        displayName: found.displayName,
        roles: found.roles,
        establishments: found.establishments,
        // The records with their dates (the codes alone would leave out expired ones).
        trainings: found.trainingRecords.map(({ code, completedOn, expiresOn }) => ({
          code,
          completedOn,
          expiresOn,
        })),
        languages: found.languages,
        active,
      });
      req.session.flash = {
        type: 'success',
        heading: active
          ? `${found.displayName} (${username}) can sign in again`
          : `${found.displayName} (${username}) is switched off`,
        text: active ? undefined : 'They cannot sign in, and their sessions end within seconds.',
      };
      // Back to the list as it was filtered (only the filters' own values are carried).
      const back = new URLSearchParams();
      const role = ROLES.find((r) => r === text(req.query.role));
      const code = text(req.query.establishment);
      if (role) back.set('role', role);
      if (ESTABLISHMENT_CODE.test(code)) back.set('establishment', code);
      const query = back.toString();
      return res.redirect(303, `/staff${query ? `?${query}` : ''}`);
    }),
  );

  return router;
}
