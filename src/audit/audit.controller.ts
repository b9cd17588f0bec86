import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, MaxLength } from 'class-validator';
import { AuthUser, establishmentScope } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { PageQuery } from '../common/pagination';
import { AuditRepository } from './audit.repository';

export class AuditQuery extends PageQuery {
  @IsOptional() @IsString() @MaxLength(50) entityType?: string;
  @IsOptional() @IsString() @MaxLength(100) entityId?: string;
  @IsOptional() @IsString() @MaxLength(64) username?: string;
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @IsOptional() @Type(() => Date) @IsDate() to?: Date;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  /** Who read or changed what. Reading the trail is not itself audited (it would never end). */
  @Get()
  @Roles('SECURITY_MANAGER', 'ADMIN')
  async search(@CurrentUser() user: AuthUser, @Query() q: AuditQuery) {
    const { rows, total } = await this.audit.search({
      ...q,
      establishments: establishmentScope(user),
    });
    return { items: rows, total };
  }
}
