import { Global, Module } from '@nestjs/common';

/** (Filled in by the transcripts feature: controllers, providers and exports.) */
@Global()
@Module({})
export class TranscriptsModule {}
