import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { CoreModule } from './core.module';
import { HealthModule } from './health/health.module';
import { WebModule } from './web/web.module';

@Module({ imports: [CoreModule, AuthModule, HealthModule, WebModule] })
export class AppModule {}
