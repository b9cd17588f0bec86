import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { FromTime, ToTime } from '../common/query-fields';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'call', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  entityType?: string;
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  entityId?: string;
  @ApiPropertyOptional({ maxLength: 64, description: 'Who acted' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  username?: string;
  @FromTime()
  from?: Date;
  @ToTime()
  to?: Date;
}
