import { Router, type Request, type Response } from 'express';
import { ValidationFailed } from '../../common/errors';
import { digestDocument, type DigestSending } from '../../reports/digest-document';
import { documentStaff, type SummaryDocument } from '../../reports/summary-document';
import { renderDocumentHtml, SUMMARY_HTML_CSP } from '../../reports/summary-html';
import { renderDocumentPdf } from '../../reports/summary-pdf';
import {
  dateItems,
  type FormErrors,
  pageNumber,
  pagination,
  prisonNumberParam,
  toFormErrors,
  uuidParam,
} from '../forms';
import { handle, requireRole } from '../guards';
import { pageNames, prisonerInWords } from '../names';
import type { WebServices } from '../services';
import { webUser } from '../web-user';
import {
  checkDigestForm,
  DIGEST_WORDING,
  type DigestFormValues,
  emptyDigestForm,
  readDigestForm,
} from './digest-form';

const REGISTER_PAGE = 50;

/** The document's sections as the GOV.UK table macro takes them. */
function pageSections(layout: SummaryDocument) {
  return layout.sections.map((s) => ({
    id: s.id,
    heading: s.heading,
    intro: s.intro,
    paragraphs: s.paragraphs ?? [],
    empty: s.empty,
    table: s.table && {
      caption: s.table.caption,
      firstCellIsHeader: !!s.table.rowHeaders,
      head: s.table.columns.map((text) => ({ text })),
      rows: s.table.rows.map((row) => row.map((text) => ({ text }))),
    },
  }));
}

function sendPrintable(res: Response, layout: SummaryDocument): void {
  res.setHeader('Content-Security-Policy', SUMMARY_HTML_CSP);
  res.type('html').send(renderDocumentHtml(layout));
}

function sendPdf(res: Response, layout: SummaryDocument, filename: string, reference: string) {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  renderDocumentPdf(layout, { reference, keywords: 'pre-release digest, COM, monitoring' }).pipe(
    res,
  );
}

/**
 * The pre-release digest for the COM: the draft (its own POM or a head of OMU; every view, print
 * and PDF is a read audited as a disclosure), "Mark as sent" with the analysis, and the register of
 * disclosures with each digest as it was sent.
 */
export function digestRoutes({
  digests,
  prisonerProfiles,
  clock,
  prisoners,
  staff,
}: Pick<WebServices, 'digests' | 'prisonerProfiles' | 'prisoners' | 'clock' | 'staff'>): Router {
  const router = Router();
  const handlers = requireRole('POM', 'HEAD_OF_OMU');
  const readers = requireRole('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER');
  router.param('prisonNumber', prisonNumberParam);
  router.param('disclosureId', uuidParam);

  /** The names of the staff the digest mentions (the POM, who logged, who identified a number). */
  const staffNamesOf = (digest: Parameters<typeof documentStaff>[0]) =>
    staff.displayNames(documentStaff(digest));

  async function renderDraft(
    req: Request,
    res: Response,
    form?: { values: DigestFormValues; errors?: FormErrors },
    status = 200,
  ) {
    const user = webUser(req);
    const prisonNumber = req.params.prisonNumber as string;
    // The profile first: it refuses (403, 404) a prisoner this user may not see.
    const prisoner = await prisonerProfiles.get(user, prisonNumber);
    const digest = await digests.draft(user, prisonNumber, 'html');
    const values = form?.values ?? emptyDigestForm(clock.now(), prisoner.com);
    const errorFor = form?.errors?.byId ?? {};
    const due = await digests.due([prisonNumber]);
    const layout = digestDocument(digest, undefined, await staffNamesOf(digest));
    res.status(status).render('pages/pom/pre-release-digest', {
      prisonNumber,
      prisonerName: `${prisoner.firstName} ${prisoner.lastName}`,
      com: prisoner.com,
      title: layout.title,
      lines: layout.lines,
      sections: pageSections(layout),
      base: `/prisoners/${prisonNumber}/pre-release-digest`,
      draft: true,
      dueSince: due.get(prisonNumber) ?? null,
      values,
      errorSummary: form?.errors?.summary ?? [],
      errorFor,
      sentOnItems: dateItems('sentOn', values.sentOn, !!errorFor['sentOn-day']),
    });
  }

  router.get(
    '/prisoners/:prisonNumber/pre-release-digest',
    handlers,
    handle((req, res) => renderDraft(req, res)),
  );

  router.get(
    '/prisoners/:prisonNumber/pre-release-digest/print',
    handlers,
    handle(async (req, res) => {
      const digest = await digests.draft(webUser(req), req.params.prisonNumber as string, 'html');
      sendPrintable(res, digestDocument(digest, undefined, await staffNamesOf(digest)));
    }),
  );

  router.get(
    '/prisoners/:prisonNumber/pre-release-digest/pdf',
    handlers,
    handle(async (req, res) => {
      const prisonNumber = req.params.prisonNumber as string;
      const digest = await digests.draft(webUser(req), prisonNumber, 'pdf');
      sendPdf(
        res,
        digestDocument(digest, undefined, await staffNamesOf(digest)),
        `pre-release-digest-${prisonNumber}-${digest.generatedAt.slice(0, 10)}.pdf`,
        prisonNumber,
      );
    }),
  );

  router.post(
    '/prisoners/:prisonNumber/pre-release-digest/sent',
    handlers,
    handle(async (req, res) => {
      const prisonNumber = req.params.prisonNumber as string;
      const values = readDigestForm(req.body as Record<string, unknown>);
      const { dto, errors } = await checkDigestForm(values);
      if (errors) return renderDraft(req, res, { values, errors }, 400);
      let disclosureId: string;
      try {
        disclosureId = (await digests.markSent(webUser(req), prisonNumber, dto)).id;
      } catch (err) {
        if (err instanceof ValidationFailed)
          return renderDraft(
            req,
            res,
            { values, errors: toFormErrors(err.details, DIGEST_WORDING) },
            400,
          );
        throw err;
      }
      req.session.flash = {
        type: 'success',
        heading: 'Digest recorded as sent',
        text: `The pre-release digest of ${await prisonerInWords({ prisoners, staff }, prisonNumber)} is in the disclosures register, as sent to ${dto.to.trim()}.`,
      };
      return res.redirect(`/disclosures/${disclosureId}`);
    }),
  );

  router.get(
    '/disclosures',
    readers,
    handle(async (req, res) => {
      const user = webUser(req);
      const page = pageNumber(req.query.page);
      const register = await digests.register(user, {
        establishment: user.activeEstablishment ?? undefined,
        limit: REGISTER_PAGE,
        offset: (page - 1) * REGISTER_PAGE,
      });
      res.render('pages/pom/disclosures', {
        ...(await pageNames({ prisoners, staff }, { staff: register.items.map((d) => d.sentBy) })),
        disclosures: register.items,
        total: register.total,
        pagination: pagination('/disclosures', page, register.total, REGISTER_PAGE),
      });
    }),
  );

  /** The disclosure and the digest as it was sent, with the POM's analysis. */
  async function sentDocument(req: Request) {
    const found = await digests.disclosure(webUser(req), req.params.disclosureId as string);
    const sending: DigestSending = {
      to: found.to,
      analysis: found.analysis,
      sentAt: found.sentAt,
      sentBy: found.sentBy,
      sentByName: found.sentByName,
    };
    return {
      found,
      layout: digestDocument(found.digest, sending, await staffNamesOf(found.digest)),
    };
  }

  router.get(
    '/disclosures/:disclosureId',
    readers,
    handle(async (req, res) => {
      const { found, layout } = await sentDocument(req);
      res.render('pages/pom/pre-release-digest', {
        disclosure: found,
        prisonNumber: found.prisonNumber,
        prisonerName: found.prisonerName,
        title: layout.title,
        lines: layout.lines,
        sections: pageSections(layout),
        base: `/disclosures/${found.id}`,
        draft: false,
      });
    }),
  );

  router.get(
    '/disclosures/:disclosureId/print',
    readers,
    handle(async (req, res) => sendPrintable(res, (await sentDocument(req)).layout)),
  );

  router.get(
    '/disclosures/:disclosureId/pdf',
    readers,
    handle(async (req, res) => {
      const { found, layout } = await sentDocument(req);
      sendPdf(
        res,
        layout,
        `pre-release-digest-${found.prisonNumber}-sent-${found.sentAt.slice(0, 10)}.pdf`,
        found.prisonNumber,
      );
    }),
  );

  return router;
}
