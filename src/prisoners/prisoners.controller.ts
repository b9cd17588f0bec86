import { Body, Controller, Get, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { PrisonNumberPipe, UuidPipe } from '../common/params';
import {
  ComFieldsDto,
  CreateContactDto,
  CreatePrivilegedNumberDto,
  PatchContactDto,
  PutPrisonerDto,
} from './prisoners.dto';
import { PrisonerProfileService } from './prisoner-profile.service';
import { PrisonersService } from './prisoners.service';

@ApiTags('prisoners')
@ApiBearerAuth()
@Controller()
export class PrisonersController {
  constructor(
    private readonly prisoners: PrisonersService,
    private readonly profiles: PrisonerProfileService,
  ) {}

  @ApiOperation({ summary: 'Create or replace a prisoner' })
  @Put('prisoners/:prisonNumber')
  @Roles('ADMIN', 'INGEST')
  put(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Body() body: PutPrisonerDto,
  ) {
    return this.prisoners.put(user, prisonNumber, body);
  }

  @ApiOperation({
    summary: 'Record the prisoner’s community offender manager and handover date',
    description:
      'The prisoner’s POM or a head of OMU. A field left out stays as it is; null clears it.',
  })
  @Put('prisoners/:prisonNumber/com')
  @Roles('POM', 'HEAD_OF_OMU')
  recordCom(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Body() body: ComFieldsDto,
  ) {
    return this.prisoners.recordCom(user, prisonNumber, body);
  }

  /** The profile with its contacts (victims' among them): for staff, never the feed's account. */
  @ApiOperation({ summary: 'A prisoner with their contacts' })
  @Get('prisoners/:prisonNumber')
  @Roles('LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'ADMIN')
  get(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
  ) {
    return this.profiles.get(user, prisonNumber);
  }

  @ApiOperation({ summary: 'Add a contact to a prisoner' })
  @Post('prisoners/:prisonNumber/contacts')
  @Roles('ADMIN', 'INGEST', 'SECURITY_MANAGER')
  addContact(
    @CurrentUser() user: AuthUser,
    @Param('prisonNumber', PrisonNumberPipe) prisonNumber: string,
    @Body() body: CreateContactDto,
  ) {
    return this.prisoners.addContact(user, prisonNumber, body);
  }

  @ApiOperation({ summary: 'Change a contact' })
  @Patch('contacts/:id')
  @Roles('ADMIN', 'INGEST', 'SECURITY_MANAGER')
  patchContact(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() body: PatchContactDto,
  ) {
    return this.prisoners.patchContact(user, id, body);
  }

  @ApiOperation({ summary: 'Add a privileged (Rule 39) number' })
  @Post('privileged-numbers')
  @Roles('ADMIN', 'SECURITY_MANAGER')
  addPrivilegedNumber(@CurrentUser() user: AuthUser, @Body() body: CreatePrivilegedNumberDto) {
    return this.prisoners.addPrivilegedNumber(user, body);
  }

  @ApiOperation({ summary: 'List privileged numbers' })
  @Get('privileged-numbers')
  @Roles('ADMIN', 'SECURITY_MANAGER')
  listPrivilegedNumbers(@CurrentUser() user: AuthUser) {
    return this.prisoners.listPrivilegedNumbers(user);
  }
}
