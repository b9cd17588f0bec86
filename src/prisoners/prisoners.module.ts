import { Global, Module } from '@nestjs/common';
import { PrisonersController } from './prisoners.controller';
import { PrisonersRepository } from './prisoners.repository';
import { PrisonersService } from './prisoners.service';

@Global()
@Module({
  controllers: [PrisonersController],
  providers: [PrisonersRepository, PrisonersService],
  exports: [PrisonersRepository, PrisonersService],
})
export class PrisonersModule {}
