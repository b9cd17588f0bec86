import type { NestExpressApplication } from '@nestjs/platform-express';
import { Router, type Request } from 'express';
import { AuthService } from '../auth/auth.service';
import { Unauthorised } from '../common/errors';
import { EstablishmentsRepository } from '../establishments/establishments.repository';
import { handle, requireSignIn, safeReturnPath } from './guards';
import { WebUser } from './web-user';

const promisify = (fn: (cb: (err?: Error | null) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

/** Sign in (the API's one password rule), sign out, and the establishment switcher. */
export function authRoutes(app: NestExpressApplication): Router {
  const auth = app.get(AuthService);
  const establishments = app.get(EstablishmentsRepository);
  const router = Router();

  router.get('/sign-in', (req, res) => {
    if (req.session.user) return res.redirect('/');
    return res.render('pages/sign-in', {
      returnTo: safeReturnPath(req.query.returnTo),
      values: {},
    });
  });

  router.post(
    '/sign-in',
    handle(async (req, res) => {
      const body = req.body as Record<string, unknown>;
      const username = typeof body.username === 'string' ? body.username.trim() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const returnTo = safeReturnPath(body.returnTo);
      const errors: { text: string; href: string }[] = [];
      if (!username) errors.push({ text: 'Enter your username', href: '#username' });
      if (!password) errors.push({ text: 'Enter your password', href: '#password' });
      let user: Awaited<ReturnType<AuthService['authenticate']>> | null = null;
      if (errors.length === 0) {
        try {
          user = await auth.authenticate(username, password);
        } catch (err) {
          if (!(err instanceof Unauthorised)) throw err;
          errors.push({ text: 'Your username or password is wrong', href: '#username' });
        }
      }
      if (!user) {
        return res.status(400).render('pages/sign-in', { errors, returnTo, values: { username } });
      }
      const names = Object.fromEntries(
        (await establishments.list(user.establishments)).map((e) => [e.code.trim(), e.name]),
      );
      const webUser: WebUser = {
        username: user.username,
        displayName: user.displayName,
        roles: user.roles,
        establishments: user.establishments,
        activeEstablishment: user.establishments[0] ?? null,
        establishmentNames: names,
      };
      // A new session id at sign-in (no fixation); the CSRF token is renewed with it.
      await promisify((cb) => req.session.regenerate(cb));
      req.session.user = webUser;
      await promisify((cb) => req.session.save(cb));
      return res.redirect(returnTo);
    }),
  );

  router.post(
    '/sign-out',
    handle(async (req, res) => {
      await promisify((cb) => req.session.destroy(cb));
      res.clearCookie('mpc.session');
      res.redirect('/sign-in');
    }),
  );

  router.post('/establishment', requireSignIn, (req: Request, res) => {
    const user = req.session.user!;
    const body = req.body as Record<string, unknown>;
    const code = typeof body.establishment === 'string' ? body.establishment : '';
    if (user.establishments.includes(code)) {
      req.session.user = { ...user, activeEstablishment: code };
      req.session.flash = {
        type: 'success',
        heading: `You are now working in ${user.establishmentNames[code] ?? code}`,
      };
    }
    res.redirect(safeReturnPath(body.returnTo));
  });

  return router;
}
