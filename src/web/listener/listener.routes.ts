import { Router, type Request } from 'express';
import { ClaimLimitReached, Conflict, FieldError, ValidationFailed } from '../../common/errors';
import { RELEASE_REASON_CODES } from '../../common/vocabulary';
import type { LogsService } from '../../logs/logs.service';
import type { QueueService } from '../../queue/queue.service';
import { text, uuidParam } from '../forms';
import { handle, requireRole } from '../guards';
import { label, targetNameInFull } from '../labels';
import { pageNames } from '../names';
import type { WebServices } from '../services';
import { formatTime } from '../setup/nunjucks';
import { webUser } from '../web-user';
import { listenPage, notHeldMessage, type ReleaseFormValues } from './listen-page';
import { withNoConcernsDefaults } from './desk';
import { logFormErrors, parseLogForm, validateLogForm } from './log-form';
import { shiftStart } from './shift';

/**
 * The listener's pages: My work (the next call, the claim held, the prisoners they lead) and
 * Listen and log. Each calls the same service as the API, with the signed-in user as the actor.
 */
export function listenerRoutes(services: WebServices): Router {
  const { queue, calls, logs, drafts, clock } = services;
  const renderListenPage = listenPage(services);
  const router = Router();

  router.param('id', uuidParam);

  /** The lease token of a call the signed-in listener holds (from any session); else a 409 page. */
  async function heldToken(req: Request, callId: string): Promise<string> {
    const user = webUser(req);
    const token = await queue.heldToken(user, callId);
    if (token) return token;
    throw new Conflict(notHeldMessage(await calls.get(user, callId), user.username));
  }

  router.get(
    '/my-work',
    requireRole('LISTENER'),
    handle(async (req, res) => {
      const user = webUser(req);
      const establishment = user.activeEstablishment ?? undefined;
      const since = shiftStart(clock.now());
      const work = await queue.myWork(user, establishment);
      const waiting = await queue.waitingFor(user, establishment);
      const loggedThisShift = await logs.countLoggedBy(user, since);
      const names = await pageNames(services, {
        prisoners: work.claims.map((c) => c.prisonNumber),
      });
      res.render('pages/my-work', {
        ...names,
        claims: work.claims,
        leadPrisoners: work.leadPrisoners,
        waiting,
        loggedThisShift,
        shiftStartedAt: since,
      });
    }),
  );

  router.post(
    '/my-work/claim',
    requireRole('LISTENER'),
    handle(async (req, res) => {
      const user = webUser(req);
      let claimed: Awaited<ReturnType<QueueService['claim']>>;
      try {
        claimed = await queue.claim(user, user.activeEstablishment ?? undefined);
      } catch (err) {
        // With a call held (from this tab, another or another computer), the button opens it.
        if (!(err instanceof ClaimLimitReached) || !err.heldCallIds[0]) throw err;
        req.session.flash = {
          type: 'information',
          heading:
            err.heldCallIds.length === 1
              ? 'You already hold this call'
              : `You already hold ${err.heldCallIds.length} calls; this is the oldest`,
          text: 'Log it or release it before you take another.',
        };
        return res.redirect(`/calls/${err.heldCallIds[0]}/listen`);
      }
      if (!claimed) {
        req.session.flash = {
          type: 'information',
          heading: 'There are no calls waiting that you can take',
          text: 'Calls you are not trained for, or in a language you do not speak, wait for others.',
        };
        return res.redirect('/my-work');
      }
      return res.redirect(`/calls/${claimed.call.id}/listen`);
    }),
  );

  router.get(
    '/calls/:id/listen',
    requireRole('LISTENER'),
    handle(async (req, res) => {
      const id = req.params.id as string;
      // A log kept when the session ended under this claim comes back as it was typed.
      const kept = await drafts.find(id, webUser(req).username);
      return renderListenPage(req, res, id, {
        values: kept ?? undefined,
        restored: kept !== null,
      });
    }),
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
      // "No concerns" alone: the level None and the page's summary unless the listener gave others.
      const values = withNoConcernsDefaults(parseLogForm(body), text(body.noConcernsSummary));
      // A lease that ran out while the listener wrote: the call is theirs again if nobody took it.
      const token =
        (await queue.heldToken(webUser(req), id)) ??
        (await queue.reclaimExpired(webUser(req), id)) ??
        (await heldToken(req, id));
      const { dto, errors } = await validateLogForm(values, token);
      const invalid = (details: FieldError[]) =>
        renderListenPage(req, res, id, { values, errors: logFormErrors(details) }, 400);
      if (errors.length) return invalid(errors);
      let result: Awaited<ReturnType<LogsService['submit']>>;
      try {
        result = await logs.submit(webUser(req), id, dto);
      } catch (err) {
        if (err instanceof ValidationFailed) return invalid(err.details);
        throw err;
      }
      await drafts.discard(id);
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

  router.get(
    '/calls/:id/logged',
    requireRole('LISTENER'),
    handle(async (req, res) => {
      const logged = req.session.lastLogged;
      if (logged?.callId !== req.params.id) return res.redirect('/my-work');
      const names = await pageNames(services, {
        prisoners: [logged.prisonNumber],
        staff: logged.escalations.map((e) => e.assignee),
      });
      return res.render('pages/logged', {
        ...names,
        logged,
        escalations: logged.escalations.map((e) => ({
          ...e,
          targetName: targetNameInFull(e.target),
        })),
      });
    }),
  );

  router.post(
    '/calls/:id/extend',
    requireRole('LISTENER'),
    handle(async (req, res) => {
      const id = req.params.id as string;
      const { expiresAt } = await queue.extend(webUser(req), id, await heldToken(req, id));
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
      const body = req.body as Record<string, unknown>;
      const release: ReleaseFormValues = {
        reasonCode: text(body.reasonCode),
        reason: text(body.reason).trim(),
      };
      const code = RELEASE_REASON_CODES.find((c) => c === release.reasonCode);
      const errors: FieldError[] = [];
      if (!code) {
        errors.push({
          field: 'release-reasonCode',
          message: 'Select why you are releasing this call',
        });
      }
      if (code === 'OTHER' && !release.reason) {
        errors.push({ field: 'release-reason', message: 'Say why you are releasing this call' });
      }
      if (release.reason.length > 1000) {
        errors.push({
          field: 'release-reason',
          message: 'The reason must be 1,000 characters or fewer',
        });
      }
      if (!code || errors.length) {
        return renderListenPage(
          req,
          res,
          id,
          { release, releaseErrors: logFormErrors(errors) },
          400,
        );
      }
      await queue.release(webUser(req), id, await heldToken(req, id), code, release.reason);
      await drafts.discard(id);
      req.session.flash = {
        type: 'success',
        heading: 'The call is back in the queue',
        text: `Released: ${label('releaseReason', code)}${release.reason ? ` (${release.reason})` : ''}.${
          code === 'CONFLICT_OF_INTEREST'
            ? ' You will not be given this prisoner’s calls again.'
            : ' It will not be offered to you again for a while unless nothing else waits.'
        }`,
      };
      return res.redirect('/my-work');
    }),
  );

  /**
   * The recording through the same audited checks as the API, with Range support for seeking; a play
   * is audited once, when the player asks for the file from its start (the page's player has
   * preload="none", so that is when the listener presses play).
   */
  router.get(
    '/calls/:id/recording',
    handle(async (req, res, next) => {
      const { file, contentType } = await calls.recording(webUser(req), req.params.id as string, {
        method: req.method,
        range: req.headers.range,
      });
      res.type(contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.sendFile(file, { acceptRanges: true, dotfiles: 'allow' }, (err) => {
        if (err && !res.headersSent) next(err);
      });
    }),
  );

  return router;
}
