import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { UuidPipe } from '../common/params';
import { TranscriptsService } from './transcripts.service';

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
export class TranscriptsController {
  constructor(private readonly transcripts: TranscriptsService) {}

  /** The provider's speech-to-text, delivered after the call record: stored, then the prisoner is re-scored. */
  @ApiOperation({ summary: 'Store the transcript of a call (the prisoner is re-scored)' })
  @ApiConflictResponse({ description: 'The call has been purged under the retention rule' })
  @Put(':id/transcript')
  @HttpCode(200)
  @Roles('INGEST', 'ADMIN')
  @ApiConsumes('application/json', 'text/plain')
  @ApiBody({
    description:
      'The transcript: plain text (text/plain, or JSON { "text" }) or { "segments": [ { "at"?: seconds, "text" } ] }',
    schema: {
      oneOf: [
        { type: 'string' },
        {
          type: 'object',
          properties: {
            segments: {
              type: 'array',
              items: {
                type: 'object',
                properties: { at: { type: 'number' }, text: { type: 'string' } },
                required: ['text'],
              },
            },
          },
        },
      ],
    },
  })
  store(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: unknown) {
    return this.transcripts.store(user, id, body);
  }
}
