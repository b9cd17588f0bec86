import { Global, Module } from '@nestjs/common';

/** (Filled in by the mail feature: controllers, providers and exports.) */
@Global()
@Module({})
export class MailModule {}
