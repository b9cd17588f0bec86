import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { Page } from '../common/pagination';
import { PrisonNumberPipe, UuidPipe } from '../common/params';
import { digestDocument } from './digest-document';
import { DigestSentDto, DisclosureQuery, PreReleaseDigestQuery } from './digest.dto';
import {
  DisclosureResponse,
  DisclosureWithDigest,
  PreReleaseDigestService,
} from './digest.service';
import { SummaryFormat } from './monitoring-summary';
import { PreReleaseDigest } from './pre-release-digest';
import { chooseFormat } from './reports.controller';
import { documentStaff, SummaryDocument } from './summary-document';
import { renderDocumentHtml, SUMMARY_HTML_CSP } from './summary-html';
import { renderDocumentPdf } from './summary-pdf';

const DOCUMENT_RESPONSE = {
  description: 'JSON, an HTML page or a PDF download (?format= or Accept)',
  content: {
    'text/html': { schema: { type: 'string' } },
    'application/pdf': { schema: { type: 'string', format: 'binary' } },
  },
};

/** The digest's HTML page or PDF (the JSON is the handler's own return). */
function rendered(
  res: Response,
  format: Exclude<SummaryFormat, 'json'>,
  layout: SummaryDocument,
  filename: string,
  reference: string,
): string | StreamableFile {
  if (format === 'html') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', SUMMARY_HTML_CSP);
    return renderDocumentHtml(layout);
  }
  return new StreamableFile(
    renderDocumentPdf(layout, { reference, keywords: 'pre-release digest, COM, monitoring' }),
    { type: 'application/pdf', disposition: `attachment; filename="${filename}"` },
  );
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class PreReleaseDigestController {
  constructor(private readonly digests: PreReleaseDigestService) {}

  @ApiOperation({
    summary: 'The pre-release monitoring digest for the COM, as it stands (JSON, HTML or PDF)',
  })
  @Get('prisoners/:prisonNumber/pre-release-digest')
  @Roles('POM', 'HEAD_OF_OMU')
  @ApiProduces('application/json', 'text/html', 'application/pdf')
  @ApiOkResponse(DOCUMENT_RESPONSE)
  async digest(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Query() q: PreReleaseDigestQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PreReleaseDigest | string | StreamableFile> {
    const format = chooseFormat(req, q.format);
    const digest = await this.digests.draft(user, prisonNumber, format);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Accept');
    if (format === 'json') return digest;
    const day = digest.generatedAt.slice(0, 10);
    return rendered(
      res,
      format,
      digestDocument(digest, undefined, await this.digests.staffNames(documentStaff(digest))),
      `pre-release-digest-${prisonNumber}-${day}.pdf`,
      prisonNumber,
    );
  }

  @ApiOperation({ summary: 'Record that the digest was sent (to whom, the POM’s analysis, when)' })
  @Post('prisoners/:prisonNumber/pre-release-digest/sent')
  @HttpCode(201)
  @Roles('POM', 'HEAD_OF_OMU')
  sent(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Body() body: DigestSentDto,
  ): Promise<DisclosureResponse> {
    return this.digests.markSent(user, prisonNumber, body);
  }

  @ApiOperation({ summary: 'The register of disclosures: what was sent to whom' })
  @Get('disclosures')
  @Roles('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  register(
    @CurrentUser() user: AuthUser,
    @Query() q: DisclosureQuery,
  ): Promise<Page<DisclosureResponse>> {
    return this.digests.register(user, q);
  }

  @ApiOperation({ summary: 'One disclosure with the digest exactly as sent (JSON, HTML or PDF)' })
  @Get('disclosures/:id')
  @Roles('POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER')
  @ApiProduces('application/json', 'text/html', 'application/pdf')
  @ApiOkResponse(DOCUMENT_RESPONSE)
  async disclosure(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Query() q: PreReleaseDigestQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DisclosureWithDigest | string | StreamableFile> {
    const format = chooseFormat(req, q.format);
    const found = await this.digests.disclosure(user, id);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Accept');
    if (format === 'json') return found;
    return rendered(
      res,
      format,
      digestDocument(
        found.digest,
        {
          to: found.to,
          analysis: found.analysis,
          sentAt: found.sentAt,
          sentBy: found.sentBy,
          sentByName: found.sentByName,
        },
        await this.digests.staffNames(documentStaff(found.digest)),
      ),
      `pre-release-digest-${found.prisonNumber}-sent-${found.sentAt.slice(0, 10)}.pdf`,
      found.prisonNumber,
    );
  }
}
