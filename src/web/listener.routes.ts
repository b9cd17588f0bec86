import type { NestExpressApplication } from '@nestjs/platform-express';
import { Router, type Request, type Response } from 'express';
import { CallsService } from '../calls/calls.service';
import { Clock } from '../common/clock';
import { Conflict, FieldError, ValidationFailed } from '../common/errors';
import {
  CONCERN_LEVELS,
  CONFIDENCES,
  IMMINENCES,
  RECORDING_QUALITIES,
  RELATIONSHIPS,
  THEMES,
  THREAT_TYPES,
} from '../common/vocabulary';
import { LogsService } from '../logs/logs.service';
import { PrisonersService } from '../prisoners/prisoners.service';
import { QueueService } from '../queue/queue.service';
import { handle, requireRole } from './guards';
import {
  emptyLogForm,
  FormErrors,
  LogFormValues,
  NOT_ON_LIST,
  parseLogForm,
  toFormErrors,
  validateLogForm,
} from './log-form';
import { formatTime, humanise } from './nunjucks-setup';
import { notFound } from './web-errors';
import { text, UUID } from './paging';
import { webUser } from './web-user';

/** Who each escalation target is, in words for the confirmation page. */
const TARGET_NAMES: Record<string, string> = {
  POM: 'POM (prison offender manager)',
  IRMM: 'IRMM (interdepartmental risk management meeting)',
  MAPPA: 'MAPPA level review (heads of offender management)',
  SECURITY: 'Duty governor (security managers)',
};

const radioItems = (codes: readonly string[], selected: string) =>
  codes.map((code) => ({ value: code, text: humanise(code), checked: code === selected }));

/**
 * The listener's pages: My work (the next call, the claim held, the prisoners they lead) and
 * Listen and log. Each calls the same service as the API, with the signed-in user as the actor.
 */
export function listenerRoutes(app: NestExpressApplication): Router {
  const queue = app.get(QueueService);
  const calls = app.get(CallsService);
  const prisoners = app.get(PrisonersService);
  const logs = app.get(LogsService);
  const clock = app.get(Clock);
  const router = Router();

  router.param('id', (req, res, next, id) => {
    if (UUID.test(String(id))) next();
    else notFound(req, res, next);
  });

  router.get('/', (req, res) => {
    if (webUser(req).roles.includes('LISTENER')) return res.redirect('/my-work');
    return res.render('pages/home');
  });

  router.get(
    '/my-work',
    requireRole('LISTENER'),
    handle(async (req, res) => {
      const user = webUser(req);
      const work = await queue.myWork(user, user.activeEstablishment ?? undefined);
      const tokens = req.session.claimTokens ?? {};
      res.render('pages/my-work', {
        claims: work.claims.map((c) => ({ ...c, resumable: Boolean(tokens[c.id]) })),
        leadPrisoners: work.leadPrisoners,
      });
    }),
  );

  router.post(
    '/my-work/claim',
    requireRole('LISTENER'),
    handle(async (req, res) => {
      const user = webUser(req);
      const claimed = await queue.claim(user, user.activeEstablishment ?? undefined);
      if (!claimed) {
        req.session.flash = {
          type: 'information',
          heading: 'There are no calls waiting that you can take',
          text: 'Calls you are not trained for, or in a language you do not speak, wait for others.',
        };
        return res.redirect('/my-work');
      }
      req.session.claimTokens = {
        ...req.session.claimTokens,
        [claimed.call.id]: claimed.claim.token,
      };
      return res.redirect(`/calls/${claimed.call.id}/listen`);
    }),
  );

  /** Renders Listen and log for a call this user holds, with the form as typed and its errors. */
  async function renderListenPage(
    req: Request,
    res: Response,
    callId: string,
    form: { values: LogFormValues; errors?: FormErrors; releaseErrors?: FormErrors },
    status = 200,
  ) {
    const user = webUser(req);
    const call = await calls.get(user, callId);
    if (call.status !== 'CLAIMED' || call.claim?.username !== user.username) {
      throw new Conflict('You do not hold this call. Take the next call from My work.');
    }
    const [prisoner, recentLogs] = await Promise.all([
      prisoners.get(user, call.prisonNumber),
      logs.forPrisoner(user, call.prisonNumber, { limit: 10, offset: 0 }),
    ]);
    const expiresAt = call.claim.expiresAt ? new Date(call.claim.expiresAt) : null;
    const minutesLeft = expiresAt
      ? Math.max(0, Math.ceil((expiresAt.getTime() - clock.now().getTime()) / 60_000))
      : 0;
    const { values } = form;
    const errors = form.errors ?? form.releaseErrors;
    res.status(status).render('pages/listen', {
      call,
      prisoner,
      recentLogs: recentLogs.items,
      lease: { expiresAt, minutesLeft },
      hasToken: Boolean(req.session.claimTokens?.[callId]),
      values,
      errorSummary: errors?.summary ?? [],
      errorFor: errors?.byId ?? {},
      contactItems: [
        ...prisoner.contacts.map((c) => ({
          value: c.id,
          text: `${c.name} (${humanise(c.relationship)})`,
          hint: { text: c.phoneNumbers.join(', ') },
          checked: values.contactId === c.id,
        })),
        ...(prisoner.contacts.length ? [{ divider: 'or' }] : []),
        {
          value: NOT_ON_LIST,
          text: 'Someone not on the contact list',
          checked: values.contactId === NOT_ON_LIST,
        },
      ],
      relationshipItems: radioItems(RELATIONSHIPS, values.relationship),
      confidenceItems: radioItems(CONFIDENCES, values.confidence),
      themeItems: THEMES.map((code) => ({
        value: code,
        text: humanise(code),
        checked: values.themes.includes(code),
        ...(code === 'NO_CONCERNS' ? { behaviour: 'exclusive' } : {}),
      })),
      threats: values.threats.map((t) => ({
        ...t,
        typeItems: radioItems(THREAT_TYPES, t.type),
        imminenceItems: radioItems(IMMINENCES, t.imminence),
      })),
      concernItems: radioItems(CONCERN_LEVELS, values.concernLevel),
      qualityItems: radioItems(RECORDING_QUALITIES, values.recordingQuality),
    });
  }

  router.get(
    '/calls/:id/listen',
    requireRole('LISTENER'),
    handle((req, res) =>
      renderListenPage(req, res, req.params.id as string, { values: emptyLogForm() }),
    ),
  );

  router.post(
    '/calls/:id/log',
    requireRole('LISTENER'),
    handle(async (req, res) => {
      const id = req.params.id as string;
      const body = req.body as Record<string, unknown>;
      if (text(body.action) === 'add-threat') {
        return renderListenPage(req, res, id, { values: parseLogForm(body, true) });
      }
      const values = parseLogForm(body);
      const token = claimToken(req, id);
      const { dto, errors } = await validateLogForm(values, token);
      const invalid = (details: FieldError[]) =>
        renderListenPage(req, res, id, { values, errors: toFormErrors(details) }, 400);
      if (errors.length) return invalid(errors);
      let result: Awaited<ReturnType<LogsService['submit']>>;
      try {
        result = await logs.submit(webUser(req), id, dto);
      } catch (err) {
        if (err instanceof ValidationFailed) return invalid(err.details);
        throw err;
      }
      const { [id]: _done, ...others } = req.session.claimTokens ?? {};
      req.session.claimTokens = others;
      req.session.lastLogged = {
        callId: id,
        prisonNumber: result.log.prisonNumber,
        concernLevel: result.log.concernLevel,
        escalations: result.escalations.map((e) => ({
          target: e.target,
          assignee: e.assignee,
          dueAt: e.dueAt ? new Date(e.dueAt).toISOString() : null,
          created: e.created,
        })),
      };
      return res.redirect(`/calls/${id}/logged`);
    }),
  );

  router.get('/calls/:id/logged', requireRole('LISTENER'), (req, res) => {
    const logged = req.session.lastLogged;
    if (logged?.callId !== req.params.id) return res.redirect('/my-work');
    return res.render('pages/logged', {
      logged,
      escalations: logged.escalations.map((e) => ({
        ...e,
        targetName: TARGET_NAMES[e.target] ?? e.target,
      })),
    });
  });

  router.post(
    '/calls/:id/extend',
    requireRole('LISTENER'),
    handle(async (req, res) => {
      const id = req.params.id as string;
      const { expiresAt } = await queue.extend(webUser(req), id, claimToken(req, id));
      req.session.flash = {
        type: 'success',
        heading: expiresAt
          ? `Your lease on this call now ends at ${formatTime(new Date(expiresAt))}`
          : 'Your lease on this call is extended',
      };
      res.redirect(`/calls/${id}/listen`);
    }),
  );

  router.post(
    '/calls/:id/release',
    requireRole('LISTENER'),
    handle(async (req, res) => {
      const id = req.params.id as string;
      const reason = text((req.body as Record<string, unknown>).reason).trim();
      if (!reason) {
        return renderListenPage(
          req,
          res,
          id,
          {
            values: emptyLogForm(),
            releaseErrors: toFormErrors([
              { field: 'release-reason', message: 'Say why you are releasing this call' },
            ]),
          },
          400,
        );
      }
      await queue.release(webUser(req), id, claimToken(req, id), reason);
      const { [id]: _released, ...others } = req.session.claimTokens ?? {};
      req.session.claimTokens = others;
      req.session.flash = {
        type: 'success',
        heading: 'The call is back in the queue',
        text: `Released: ${reason}`,
      };
      return res.redirect('/my-work');
    }),
  );

  /** The recording through the same audited checks as the API, with Range support for seeking. */
  router.get(
    '/calls/:id/recording',
    handle(async (req, res, next) => {
      const { file, contentType } = await calls.recording(webUser(req), req.params.id as string);
      res.type(contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.sendFile(file, { acceptRanges: true, dotfiles: 'allow' }, (err) => {
        if (err && !res.headersSent) next(err);
      });
    }),
  );

  return router;
}

/** The lease token this session got when it claimed the call (the API's claim token). */
function claimToken(req: Request, callId: string): string {
  const token = req.session.claimTokens?.[callId];
  if (!token) {
    throw new Conflict(
      'This call was not claimed in this browser session, so it cannot be changed here. Take the next call from My work.',
    );
  }
  return token;
}
