import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CoreModule } from '../core.module';

/**
 * What `npm run seed:demo` boots: the shared module graph (so the world is created through the real
 * services) plus AuthModule, whose bootstrap creates the ADMIN account named in the environment.
 */
@Module({ imports: [CoreModule, AuthModule] })
export class SeedModule {}
