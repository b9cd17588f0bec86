import { Global, Module } from '@nestjs/common';
import { BacklogRepository } from './backlog.repository';
import { OversightController } from './oversight.controller';
import { OversightService } from './oversight.service';

@Global()
@Module({
  controllers: [OversightController],
  providers: [BacklogRepository, OversightService],
  exports: [OversightService],
})
export class OversightModule {}
