import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, establishmentScope } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { EstablishmentCodePipe } from '../common/params';
import { PutEstablishmentDto } from './establishments.dto';
import { EstablishmentsService } from './establishments.service';
import { PutSettingsDto } from './settings.dto';
import { EstablishmentsRepository } from './establishments.repository';

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('establishments')
export class EstablishmentsController {
  constructor(
    private readonly establishments: EstablishmentsRepository,
    private readonly service: EstablishmentsService,
  ) {}

  @ApiOperation({ summary: "An establishment's settings" })
  @Get(':code/settings')
  @Roles('HEAD_OF_OMU', 'SECURITY_MANAGER', 'ADMIN')
  settings(@CurrentUser() user: AuthUser, @Param('code', EstablishmentCodePipe) code: string) {
    return this.service.settings(user, code);
  }

  @ApiOperation({ summary: "Change an establishment's settings" })
  @Put(':code/settings')
  @Roles('HEAD_OF_OMU', 'ADMIN')
  putSettings(
    @CurrentUser() user: AuthUser,
    @Param('code', EstablishmentCodePipe) code: string,
    @Body() body: PutSettingsDto,
  ) {
    return this.service.putSettings(user, code, body);
  }

  @ApiOperation({ summary: 'Create or rename an establishment' })
  @Put(':code')
  @Roles('ADMIN')
  async put(@Param('code', EstablishmentCodePipe) code: string, @Body() body: PutEstablishmentDto) {
    await this.establishments.upsert(code, body.name);
    return { code, name: body.name };
  }

  @ApiOperation({ summary: 'List the establishments you work at' })
  @Get()
  async list(@CurrentUser() user: AuthUser) {
    const rows = await this.establishments.list(establishmentScope(user));
    return {
      items: rows.map((r) => ({ code: r.code, name: r.name, settings: r.settings })),
      total: rows.length,
    };
  }
}
