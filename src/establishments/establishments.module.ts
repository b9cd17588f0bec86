import { Module } from '@nestjs/common';
import { EstablishmentsController } from './establishments.controller';
import { EstablishmentsRepository } from './establishments.repository';
import { EstablishmentsService } from './establishments.service';
import { AuditModule } from '../audit/audit.module';

@Module({
  imports: [AuditModule],
  controllers: [EstablishmentsController],
  providers: [EstablishmentsRepository, EstablishmentsService],
  exports: [EstablishmentsService],
})
export class EstablishmentsModule {}
