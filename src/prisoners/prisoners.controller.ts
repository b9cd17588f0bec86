import { Body, Controller, Get, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { PrisonNumberPipe, UuidPipe } from '../common/params';
import {
  CreateContactDto,
  CreatePrivilegedNumberDto,
  PatchContactDto,
  PutPrisonerDto,
} from './prisoners.dto';
import { PrisonersService } from './prisoners.service';

@ApiTags('prisoners')
@ApiBearerAuth()
@Controller()
export class PrisonersController {
  constructor(private readonly prisoners: PrisonersService) {}

  @Put('prisoners/:prisonNumber')
  @Roles('ADMIN', 'INGEST')
  put(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Body() body: PutPrisonerDto,
  ) {
    return this.prisoners.put(user, prisonNumber, body);
  }

  @Get('prisoners/:prisonNumber')
  get(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
  ) {
    return this.prisoners.get(user, prisonNumber);
  }

  @Post('prisoners/:prisonNumber/contacts')
  @Roles('ADMIN', 'INGEST', 'SECURITY_MANAGER')
  addContact(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Body() body: CreateContactDto,
  ) {
    return this.prisoners.addContact(user, prisonNumber, body);
  }

  @Patch('contacts/:id')
  @Roles('ADMIN', 'INGEST', 'SECURITY_MANAGER')
  patchContact(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: PatchContactDto,
  ) {
    return this.prisoners.patchContact(user, id, body);
  }

  @Post('privileged-numbers')
  @Roles('ADMIN', 'SECURITY_MANAGER')
  addPrivilegedNumber(@CurrentUser() user: AuthUser, @Body() body: CreatePrivilegedNumberDto) {
    return this.prisoners.addPrivilegedNumber(user, body);
  }

  @Get('privileged-numbers')
  @Roles('ADMIN', 'SECURITY_MANAGER')
  listPrivilegedNumbers(@CurrentUser() user: AuthUser) {
    return this.prisoners.listPrivilegedNumbers(user);
  }
}
