import { Global, Module } from '@nestjs/common';

/** (Filled in by the reports feature: controllers, providers and exports.) */
@Global()
@Module({})
export class ReportsModule {}
