import { Global, Module } from '@nestjs/common';
import { PatternsController } from './patterns.controller';
import { PatternsRepository } from './patterns.repository';
import { PatternsService } from './patterns.service';

/** Call-pattern alerts: detected by the worker after each triaged batch, reviewed in the api. */
@Global()
@Module({
  controllers: [PatternsController],
  providers: [PatternsRepository, PatternsService],
  exports: [PatternsService],
})
export class PatternsModule {}
