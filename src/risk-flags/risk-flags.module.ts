import { Global, Module } from '@nestjs/common';
import { RiskFlagsController } from './risk-flags.controller';
import { RiskFlagsRepository } from './risk-flags.repository';
import { RiskFlagsService } from './risk-flags.service';

/** Risk flags for heads of offender management: computed daily (worker) and on demand (api). */
@Global()
@Module({
  controllers: [RiskFlagsController],
  providers: [RiskFlagsRepository, RiskFlagsService],
  exports: [RiskFlagsRepository, RiskFlagsService],
})
export class RiskFlagsModule {}
