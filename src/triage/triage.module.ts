import { Global, Module } from '@nestjs/common';
import { TriageRepository } from './triage.repository';
import { TriageService } from './triage.service';

@Global()
@Module({ providers: [TriageRepository, TriageService], exports: [TriageService] })
export class TriageModule {}
