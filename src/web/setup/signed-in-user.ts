import type { RequestHandler } from 'express';
import { handle, promisify } from '../guards';
import { maySearchPrisoners, navigationFor } from '../navigation';
import type { WebServices } from '../services';

/**
 * A session proves who signed in, not what they may do now: their roles, establishments and active
 * flag are read again (through the auth layer's few-seconds cache), so a demoted, moved or
 * deactivated user loses the pages within seconds. An account that is gone, inactive or a machine's
 * ends its session.
 */
export function setUpSignedInUser({
  auth,
  establishments,
}: Pick<WebServices, 'auth' | 'establishments'>): RequestHandler {
  return handle(async (req, _res, next) => {
    const user = req.session.user;
    if (!user) return next();
    const access = await auth.currentAccess(user.username);
    if (!access || access.roles.includes('INGEST')) {
      // A fresh, empty session (not stored): the sign-in guard sends the visitor to sign in.
      await promisify((cb) => req.session.regenerate(cb));
      return next();
    }
    const same = (a: readonly string[], b: readonly string[]) =>
      a.length === b.length && a.every((x, i) => x === b[i]);
    if (same(access.roles, user.roles) && same(access.establishments, user.establishments)) {
      return next();
    }
    const moved = !same(access.establishments, user.establishments);
    const names = moved
      ? Object.fromEntries(
          (await establishments.list(access.establishments)).map((e) => [e.code.trim(), e.name]),
        )
      : user.establishmentNames;
    req.session.user = {
      ...user,
      roles: access.roles,
      establishments: access.establishments,
      activeEstablishment:
        user.activeEstablishment && access.establishments.includes(user.activeEstablishment)
          ? user.activeEstablishment
          : (access.establishments[0] ?? null),
      establishmentNames: names,
    };
    return next();
  });
}

/**
 * What the layout shows on every page: the user, their establishment, whether they may search for
 * a prisoner, a one-off message.
 */
export const setUpPageLocals = (): RequestHandler => (req, res, next) => {
  const user = req.session.user;
  res.locals.currentPath = req.originalUrl;
  if (user) {
    res.locals.user = user;
    res.locals.activeEstablishmentName = user.activeEstablishment
      ? (user.establishmentNames[user.activeEstablishment] ?? user.activeEstablishment)
      : null;
    res.locals.isListener = user.roles.includes('LISTENER');
    res.locals.navigation = navigationFor(user, req.path);
    res.locals.prisonerSearch = maySearchPrisoners(user);
  }
  if (req.session.flash) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
};
