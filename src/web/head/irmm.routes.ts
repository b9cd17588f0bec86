import { Router, type Request, type Response } from 'express';
import { FieldError, ValidationFailed } from '../../common/errors';
import { ESCALATION_OUTCOMES } from '../../common/vocabulary';
import { RecordMeetingDto } from '../../escalations/escalations.dto';
import type { IrmmService } from '../../escalations/irmm.service';
import {
  checkDto,
  type FormErrors,
  londonTime,
  pageNumber,
  pagination,
  toFormErrors,
  uuidParam,
} from '../forms';
import { handle, requireRole } from '../guards';
import { label } from '../labels';
import { type NameServices, pageNames } from '../names';
import type { WebServices } from '../services';
import { webUser } from '../web-user';
import {
  meetingFieldId,
  meetingFieldRank,
  meetingMessage,
  type MeetingFormValues,
  parseMeetingForm,
} from './meeting-form';
import { establishmentOf } from './one-establishment';

const HEADS = ['HEAD_OF_OMU', 'SECURITY_MANAGER'] as const;
const MEETINGS_PAGE = 20;

/**
 * The IRMM agenda of the user's active establishment (and its print view, without navigation), the
 * record of a meeting held, and the past meetings with each one's items.
 */
export function irmmRoutes({
  irmm,
  clock,
  ...nameServices
}: Pick<WebServices, 'irmm' | 'clock' | NameServices>): Router {
  const router = Router();
  router.param('meetingId', uuidParam);

  /** Renders the agenda with the meeting form as typed and its errors. */
  async function renderIrmm(
    req: Request,
    res: Response,
    form: { values?: MeetingFormValues; errors?: FormErrors },
    status = 200,
    template = 'pages/head/irmm',
  ) {
    const user = webUser(req);
    const est = establishmentOf(req);
    const agenda = await irmm.agenda(user, est);
    const entries = agenda.items.flatMap((p) =>
      p.escalations.map((e) => ({ prisoner: p, escalation: e })),
    );
    const typed = form.values;
    const byEscalation = new Map((typed?.items ?? []).map((i) => [i.escalationId, i]));
    let index = 0;
    const prisoners = agenda.items.map((p) => ({
      ...p,
      themes: Object.entries(p.themesSinceLastMeeting)
        .sort((a, b) => b[1] - a[1])
        .map(([code, count]) => ({ code, count })),
      items: p.escalations.map((e) => {
        const i = index++;
        const v = byEscalation.get(e.id) ?? { decision: '', outcome: '', note: '' };
        return {
          i,
          escalation: e,
          values: v,
          outcomeItems: [
            { value: '', text: 'Choose an outcome', selected: !v.outcome },
            ...ESCALATION_OUTCOMES.map((o) => ({
              value: o,
              text: label('escalationOutcome', o),
              selected: o === v.outcome,
            })),
          ],
        };
      }),
    }));
    const today = clock.now();
    const londonDate = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'numeric',
      year: 'numeric',
    }).formatToParts(today);
    const part = (t: string) => londonDate.find((p) => p.type === t)?.value ?? '';
    res.status(status).render(template, {
      ...(await pageNames(nameServices, { staff: agenda.items.map((p) => p.pomUsername) })),
      agenda,
      prisoners,
      itemCount: entries.length,
      values: typed ?? {
        day: part('day'),
        month: part('month'),
        year: part('year'),
        time: '10:00',
        attendees: '',
      },
      errorSummary: form.errors?.summary ?? [],
      errorFor: form.errors?.byId ?? {},
      outcomes: ESCALATION_OUTCOMES,
    });
  }

  router.get(
    '/irmm',
    requireRole(...HEADS),
    handle((req, res) => renderIrmm(req, res, {})),
  );

  router.get(
    '/irmm/print',
    requireRole(...HEADS),
    handle((req, res) => renderIrmm(req, res, {}, 200, 'pages/head/irmm-print')),
  );

  router.get(
    '/irmm/meetings',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const page = pageNumber(req.query.page);
      const result = await irmm.meetings(webUser(req), establishmentOf(req), {
        limit: MEETINGS_PAGE,
        offset: (page - 1) * MEETINGS_PAGE,
      });
      res.render('pages/head/irmm-meetings', {
        ...(await pageNames(nameServices, { staff: result.items.map((m) => m.recordedBy) })),
        meetings: result.items,
        total: result.total,
        pagination: pagination('/irmm/meetings', page, result.total, MEETINGS_PAGE, {}, 'meetings'),
      });
    }),
  );

  router.get(
    '/irmm/meetings/:meetingId',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const meeting = await irmm.meeting(webUser(req), req.params.meetingId as string);
      res.render('pages/head/irmm-meeting', {
        ...(await pageNames(nameServices, {
          staff: [meeting.recordedBy],
          prisoners: meeting.items.map((i) => i.prisonNumber),
        })),
        meeting,
      });
    }),
  );

  router.post(
    '/irmm/meetings',
    requireRole(...HEADS),
    handle(async (req, res) => {
      const user = webUser(req);
      const est = establishmentOf(req);
      const values = parseMeetingForm(req.body as Record<string, unknown>);
      const agenda = await irmm.agenda(user, est);
      const names = new Map(
        agenda.items.flatMap((p) =>
          p.escalations.map((e) => [e.id, `${p.firstName} ${p.lastName} (${p.prisonNumber})`]),
        ),
      );
      const who = (i: number) => names.get(values.items[i]?.escalationId ?? '') ?? `item ${i + 1}`;
      const invalid = (details: FieldError[]) =>
        renderIrmm(
          req,
          res,
          {
            values,
            errors: toFormErrors(details, {
              idOf: meetingFieldId,
              message: (id, raw) => meetingMessage(id, raw, who),
              compare: (a, b) => meetingFieldRank(a) - meetingFieldRank(b),
            }),
          },
          400,
        );

      const errors: FieldError[] = [];
      const [day, month, year] = [values.day, values.month, values.year].map((v) =>
        /^\d{1,4}$/.test(v) ? Number(v) : Number.NaN,
      );
      const time = /^(\d{1,2})[:.](\d{2})$/.exec(values.time);
      const heldAt =
        time && year >= 2000
          ? londonTime(year, month, day, Number(time[1]), Number(time[2]))
          : null;
      if (!heldAt) {
        errors.push({ field: 'heldAt', message: 'Enter a real date and time' });
      } else if (heldAt.getTime() > clock.now().getTime() + 60_000) {
        errors.push({ field: 'heldAt', message: 'The meeting date and time must be in the past' });
      }
      if (!values.items.length) {
        errors.push({ field: 'items', message: 'There are no items on the agenda to record' });
      }
      const { dto, errors: dtoErrors } = await checkDto(RecordMeetingDto, {
        establishmentCode: est,
        heldAt: heldAt ? heldAt.toISOString() : undefined,
        attendees: values.attendees
          .split(/\r?\n/)
          .map((a) => a.trim())
          .filter(Boolean),
        items: values.items.map((i) => ({
          escalationId: i.escalationId,
          decision: i.decision || undefined,
          outcome: i.decision === 'CLOSE' ? i.outcome || undefined : undefined,
          note: i.note.trim() ? i.note.trim() : undefined,
        })),
      });
      errors.push(...dtoErrors.filter((e) => !(heldAt === null && e.field === 'heldAt')));
      values.items.forEach((item, i) => {
        if (item.decision === 'CLOSE' && item.outcome === 'OTHER' && !item.note.trim()) {
          errors.push({
            field: `items[${i}].note`,
            message: 'is required when the outcome is OTHER',
          });
        }
      });
      if (errors.length) return invalid(errors);
      let result: Awaited<ReturnType<IrmmService['recordMeeting']>>;
      try {
        result = await irmm.recordMeeting(user, dto);
      } catch (err) {
        if (err instanceof ValidationFailed) return invalid(err.details);
        throw err;
      }
      req.session.flash = {
        type: 'success',
        heading: 'Meeting recorded',
        text: `${result.closed} ${result.closed === 1 ? 'item' : 'items'} closed, ${result.carriedForward} carried forward to the next meeting.`,
      };
      return res.redirect('/irmm');
    }),
  );

  return router;
}
