import { Global, Module } from '@nestjs/common';

/** (Filled in by the patterns feature: controllers, providers and exports.) */
@Global()
@Module({})
export class PatternsModule {}
