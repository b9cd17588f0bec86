import { Global, Module } from '@nestjs/common';

/** (Filled in by the translation feature: controllers, providers and exports.) */
@Global()
@Module({})
export class TranslationModule {}
