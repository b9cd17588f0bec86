import { Global, Module } from '@nestjs/common';
import { EstablishmentsController } from './establishments.controller';
import { EstablishmentsRepository } from './establishments.repository';
import { EstablishmentsService } from './establishments.service';

@Global()
@Module({
  controllers: [EstablishmentsController],
  providers: [EstablishmentsRepository, EstablishmentsService],
  exports: [EstablishmentsRepository],
})
export class EstablishmentsModule {}
