import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { PrisonNumberPipe } from '../common/params';
import { MonitoringSummary, SummaryFormat } from './monitoring-summary';
import { MonitoringSummaryQuery } from './reports.dto';
import { ReportsService } from './reports.service';
import { documentStaff } from './summary-document';
import { renderSummaryHtml, SUMMARY_HTML_CSP } from './summary-html';
import { renderSummaryPdf } from './summary-pdf';

const MEDIA_TYPES: Record<string, SummaryFormat> = {
  'application/json': 'json',
  'text/html': 'html',
  'application/pdf': 'pdf',
};

/** `?format=` wins; otherwise the best the Accept header asks for; JSON when it asks for anything. */
export function chooseFormat(req: Request, asked?: SummaryFormat): SummaryFormat {
  if (asked) return asked;
  const best = req.accepts(Object.keys(MEDIA_TYPES));
  return (best && MEDIA_TYPES[best]) || 'json';
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @ApiOperation({ summary: 'Monitoring summary of a prisoner (JSON, HTML or PDF)' })
  @Get('prisoners/:prisonNumber/monitoring-summary')
  @Roles('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  @ApiProduces('application/json', 'text/html', 'application/pdf')
  @ApiOkResponse({
    description: 'The summary as JSON, an HTML page or a PDF download (?format= or Accept)',
    content: {
      'text/html': { schema: { type: 'string' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  async monitoringSummary(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Query() q: MonitoringSummaryQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MonitoringSummary | string | StreamableFile> {
    const format = chooseFormat(req, q.format);
    const summary = await this.reports.monitoringSummary(user, prisonNumber, {
      from: q.from,
      to: q.to,
      format,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Accept');
    switch (format) {
      case 'html':
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.setHeader('Content-Security-Policy', SUMMARY_HTML_CSP);
        return renderSummaryHtml(summary, await this.reports.staffNames(documentStaff(summary)));
      case 'pdf': {
        const pdf = renderSummaryPdf(
          summary,
          await this.reports.staffNames(documentStaff(summary)),
        );
        return new StreamableFile(pdf.document, {
          type: 'application/pdf',
          disposition: `attachment; filename="${pdf.filename}"`,
        });
      }
      case 'json':
        return summary;
    }
  }
}
