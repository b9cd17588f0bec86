import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, RequestHandler, Response } from 'express';
import { AuthService } from '../../auth/auth.service';
import { Unauthorised } from '../../common/errors';
import { GlobalExceptionFilter } from '../../common/exception.filter';

/** The OpenAPI document and its UI (`/api/docs`, `/api/docs-json`, `/api/docs-yaml`). */
const DOCS_PATH = /^\/api\/docs(-json|-yaml)?(\/|$)/;

/**
 * The API's documentation names every route, field and role: for signed-in users only, by bearer
 * token (as the API) or by a workbench session (a person in a browser). A browser that has neither
 * is sent to sign in and back; anything else gets the API's 401. Must be mounted before the
 * documentation itself.
 */
export function requireSignInForApiDocs(
  app: NestExpressApplication,
  webSession: RequestHandler,
): RequestHandler {
  const auth = app.get(AuthService);
  const errors = new GlobalExceptionFilter();
  const refuse = (req: Request, res: Response) => {
    if (
      req.method === 'GET' &&
      req.path === '/api/docs' &&
      req.accepts(['json', 'html']) === 'html'
    ) {
      res.redirect(`/sign-in?returnTo=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    const { body } = errors.toAnswer(new Unauthorised('Sign in to read the API documentation'));
    res.status(body.statusCode).json(body);
  };
  return (req, res, next) => {
    if (!DOCS_PATH.test(req.path)) return next();
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
    if (bearer) {
      auth
        .verify(bearer[1])
        .then((user) => (user ? next() : refuse(req, res)))
        .catch(next);
      return;
    }
    webSession(req, res, (err?: unknown) => {
      if (err) return next(err);
      const username = req.session?.user?.username;
      if (!username) return refuse(req, res);
      auth
        .currentAccess(username)
        .then((user) => (user ? next() : refuse(req, res)))
        .catch(next);
    });
  };
}
