import { Router, type Request } from 'express';
import type { AuthService } from '../auth/auth.service';
import { RetryLater, setRetryAfter, SignInBusy, TooManyAttempts } from '../auth/auth-errors';
import { Conflict, Forbidden, Unauthorised } from '../common/errors';
import { hasRole } from '../common/auth-user';
import { handle, promisify, requireSignIn, safeReturnPath } from './guards';
import { type NameServices, pageNames } from './names';
import type { WebServices } from './services';
import { SIGN_IN_CSRF_COOKIE } from './setup/csrf';
import { WebUser } from './web-user';

/** What the sign-in page says after a sign-out: signed out, and what became of the calls held. */
const SIGNED_OUT = ['yes', 'released', 'kept'] as const;

/** Sign in (the API's one password rule), sign out, and the establishment switcher. */
export function authRoutes({
  auth,
  establishments,
  queue,
  ...nameServices
}: Pick<WebServices, 'auth' | 'establishments' | 'queue' | NameServices>): Router {
  const router = Router();

  router.get('/sign-in', (req, res) => {
    if (req.session.user) return res.redirect('/');
    return res.render('pages/sign-in', {
      returnTo: safeReturnPath(req.query.returnTo),
      values: {},
      // Sent here by a log submitted after the session ended (keepLogWhenSessionEnded).
      logKept: req.query.ended === 'log',
      signedOut: SIGNED_OUT.find((v) => v === req.query.signedOut) ?? null,
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
      let status = 400;
      if (errors.length === 0) {
        try {
          user = await auth.authenticate(username, password, 'web');
        } catch (err) {
          const refusal = signInRefusal(err);
          if (!refusal) throw err;
          setRetryAfter(res, err);
          status = refusal.status;
          errors.push({ text: refusal.text, href: '#username' });
        }
      }
      if (!user) {
        return res
          .status(status)
          .render('pages/sign-in', { errors, returnTo, values: { username } });
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
      // Signed in, the session's own CSRF token takes over from the sign-in form's cookie.
      res.clearCookie(SIGN_IN_CSRF_COOKIE);
      return res.redirect(returnTo);
    }),
  );

  /** The calls a signed-in listener holds (none for other roles). */
  const heldBy = async (user: WebUser) =>
    hasRole(user, 'LISTENER') ? (await queue.mine(user)).items : [];

  /** The sign-out page with the calls held, each by its prisoner's name. */
  const heldPage = async (held: Awaited<ReturnType<typeof heldBy>>) => ({
    ...(await pageNames(nameServices, { prisoners: held.map((h) => h.call.prisonNumber) })),
    held,
  });

  /**
   * Sign out. A listener who holds calls is asked first (GET /sign-out, after a redirect so that
   * Back never lands on a form result) what becomes of them: back in the queue now (released,
   * END_OF_SHIFT), or kept to carry on after signing in again until the lease ends. The sign-in
   * page then says they signed out and what became of the calls.
   */
  router.get(
    '/sign-out',
    handle(async (req, res) => {
      const user = req.session.user;
      if (!user) return res.redirect('/sign-in');
      return res.render('pages/sign-out', { ...(await heldPage(await heldBy(user))), errors: [] });
    }),
  );

  router.post(
    '/sign-out',
    handle(async (req, res) => {
      const user = req.session.user;
      if (!user) return res.redirect('/sign-in');
      const choice = (req.body as Record<string, unknown> | undefined)?.heldCalls;
      const held = await heldBy(user);
      if (held.length && choice === undefined) return res.redirect(303, '/sign-out');
      if (held.length && choice !== 'release' && choice !== 'keep') {
        return res.status(400).render('pages/sign-out', {
          ...(await heldPage(held)),
          errors: [{ text: 'Select what should happen to the calls you hold', href: '#heldCalls' }],
        });
      }
      let released = 0;
      if (choice === 'release') {
        for (const { call, claim } of held) {
          try {
            await queue.release(user, call.id, claim.token, 'END_OF_SHIFT');
            released += 1;
          } catch (err) {
            // Its lease ended while the page was open: it is back in the queue already.
            if (!(err instanceof Conflict)) throw err;
          }
        }
      }
      await promisify((cb) => req.session.destroy(cb));
      res.clearCookie('mpc.session');
      const said = released ? 'released' : held.length ? 'kept' : 'yes';
      return res.redirect(`/sign-in?signedOut=${said}`);
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

/** What the sign-in page says for a refused sign-in, and its status; null for anything else. */
function signInRefusal(err: unknown): { status: number; text: string } | null {
  if (err instanceof Unauthorised) {
    return { status: 400, text: 'Your username or password is wrong' };
  }
  if (err instanceof TooManyAttempts) {
    return {
      status: 429,
      text: `There have been too many failed attempts to sign in. Try again in ${minutes(err)}`,
    };
  }
  if (err instanceof SignInBusy) {
    return { status: 503, text: 'The service is busy. Try signing in again in a moment' };
  }
  if (err instanceof Forbidden) {
    return {
      status: 403,
      text: 'This account is for a machine and cannot sign in to the workbench',
    };
  }
  return null;
}

function minutes(err: RetryLater): string {
  const n = Math.max(1, Math.ceil(err.retryAfterSeconds / 60));
  return n === 1 ? '1 minute' : `${n} minutes`;
}
