import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, establishmentScope } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { AuditQuery } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Who read or changed what. Each search is itself audited (AUDIT_SEARCHED), once. */
  @ApiOperation({ summary: 'Search the audit trail (the search is itself audited)' })
  @Get()
  @Roles('SECURITY_MANAGER', 'ADMIN')
  async search(@CurrentUser() user: AuthUser, @Query() q: AuditQuery) {
    const { rows, total } = await this.audit.search(
      user,
      { ...q, establishments: establishmentScope(user) },
      'api',
    );
    return { items: rows, total };
  }
}
