import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { UuidPipe } from '../common/params';
import { DecideMonitoringDto, MonitoringDecisionQuery } from './decisions.dto';
import { DecisionsService } from './decisions.service';

@ApiTags('monitoring decisions')
@ApiBearerAuth()
@Controller('monitoring-decisions')
export class DecisionsController {
  constructor(private readonly decisions: DecisionsService) {}

  @ApiOperation({ summary: 'Monitoring decisions on arrival: due and decided' })
  @Get()
  @Roles('SECURITY_MANAGER', 'HEAD_OF_OMU')
  list(@CurrentUser() user: AuthUser, @Query() query: MonitoringDecisionQuery) {
    return this.decisions.list(user, query);
  }

  @ApiOperation({ summary: 'One monitoring decision' })
  @Get(':id')
  @Roles('SECURITY_MANAGER', 'HEAD_OF_OMU')
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.decisions.get(user, id);
  }

  @ApiOperation({
    summary: 'Decide: MONITOR (opens the monitoring request given) or DO_NOT_MONITOR',
  })
  @ApiConflictResponse({ description: 'Already decided, or the prisoner has left' })
  @Post(':id/decide')
  @HttpCode(200)
  @Roles('SECURITY_MANAGER', 'HEAD_OF_OMU')
  decide(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: DecideMonitoringDto,
  ) {
    return this.decisions.decide(user, id, body);
  }
}
