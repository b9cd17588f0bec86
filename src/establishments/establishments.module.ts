import { Global, Module } from '@nestjs/common';
import { EstablishmentsController } from './establishments.controller';
import { EstablishmentsRepository } from './establishments.repository';

@Global()
@Module({
  controllers: [EstablishmentsController],
  providers: [EstablishmentsRepository],
  exports: [EstablishmentsRepository],
})
export class EstablishmentsModule {}
