import { Global, Module } from '@nestjs/common';
import { CallsController } from './calls.controller';
import { CallsRepository } from './calls.repository';
import { ReconcilerService } from './reconciler.service';
import { CallsService } from './calls.service';

@Global()
@Module({
  controllers: [CallsController],
  providers: [CallsRepository, CallsService, ReconcilerService],
  exports: [CallsRepository, CallsService, ReconcilerService],
})
export class CallsModule {}
