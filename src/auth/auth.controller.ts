import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth-decorators';
import { setRetryAfter } from './auth-errors';
import { TokenRequestDto } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** 429 (too many failures) and 503 (too many at once) carry `Retry-After`. */
  @ApiOperation({ summary: 'Exchange a username and password for a bearer token' })
  @Public()
  @Post('token')
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins: wait Retry-After seconds' })
  @HttpCode(200)
  async token(@Body() body: TokenRequestDto, @Res({ passthrough: true }) res: Response) {
    try {
      return await this.auth.issueToken(body.username, body.password);
    } catch (err) {
      // The global filter writes the body; the header is set here, where the response is made.
      setRetryAfter(res, err);
      throw err;
    }
  }
}
