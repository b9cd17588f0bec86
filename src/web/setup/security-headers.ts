import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** helmet again for pages (replacing the API's headers): scripts only from us or with this nonce. */
export function setUpWebSecurityHeaders(): RequestHandler[] {
  return [
    (_req, res, next) => {
      res.locals.cspNonce = randomBytes(16).toString('base64');
      next();
    },
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: [
            "'self'",
            (_req, res) =>
              `'nonce-${(res as ServerResponse & Pick<Response, 'locals'>).locals.cspNonce as string}'`,
          ],
          styleSrc: ["'self'"],
          fontSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          mediaSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // Not upgrade-insecure-requests (helmet's default): every source is 'self', so there is no
          // mixed content to upgrade, and over plain HTTP (the demo, the tests) Chromium upgraded the
          // redirect a script's fetch follows (the listening desk's Submit) to https, which failed.
          upgradeInsecureRequests: null,
        },
      },
      referrerPolicy: { policy: 'same-origin' },
    }),
  ];
}
