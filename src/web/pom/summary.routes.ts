import { Router } from 'express';
import type { SummaryFormat } from '../../reports/monitoring-summary';
import { documentStaff } from '../../reports/summary-document';
import { renderSummaryHtml, SUMMARY_HTML_CSP } from '../../reports/summary-html';
import { renderSummaryPdf } from '../../reports/summary-pdf';
import { prisonNumberParam } from '../forms';
import { handle, requireRole } from '../guards';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

/**
 * The MAPPA monitoring summary from the browser session: the same `ReportsService` as
 * `GET /api/prisoners/{prisonNumber}/monitoring-summary`, for the same roles, with the signed-in
 * user as the actor (the service audits the read, so these routes do not). The last 90 days, as the
 * API's default.
 */
export function summaryRoutes({ reports }: Pick<WebServices, 'reports'>): Router {
  const router = Router();
  const readers = requireRole('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER');
  router.param('prisonNumber', prisonNumberParam);

  const summaryOf = async (
    req: Parameters<typeof webUser>[0],
    prisonNumber: string,
    format: SummaryFormat,
  ) => {
    const summary = await reports.monitoringSummary(webUser(req), prisonNumber, { format });
    return { summary, names: await reports.staffNames(documentStaff(summary)) };
  };

  router.get(
    '/prisoners/:prisonNumber/monitoring-summary',
    readers,
    handle(async (req, res) => {
      const { summary, names } = await summaryOf(req, req.params.prisonNumber as string, 'html');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Security-Policy', SUMMARY_HTML_CSP);
      res.type('html').send(renderSummaryHtml(summary, names));
    }),
  );

  router.get(
    '/prisoners/:prisonNumber/monitoring-summary/pdf',
    readers,
    handle(async (req, res) => {
      const { summary, names } = await summaryOf(req, req.params.prisonNumber as string, 'pdf');
      const pdf = renderSummaryPdf(summary, names);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${pdf.filename}"`);
      pdf.document.pipe(res);
    }),
  );

  return router;
}
