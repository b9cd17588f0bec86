import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { SignInThrottle } from './sign-in-throttle';
import { AuditModule } from '../audit/audit.module';
import { StaffModule } from '../staff/staff.module';

@Module({
  imports: [
    AuditModule,
    StaffModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        // A KeyObject, made once: given the secret as a string, jsonwebtoken first tries (and fails)
        // to parse it as a PEM public key on every verification, which cost more than the rest of the
        // guard together.
        const key = createSecretKey(Buffer.from(config.JWT_SECRET));
        return { secretOrKeyProvider: () => key, signOptions: { algorithm: 'HS256' } };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, SignInThrottle, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
