import { Injectable, PipeTransform } from '@nestjs/common';
import { NotFound, ValidationFailed } from './errors';
import { ESTABLISHMENT_CODE, PRISON_NUMBER } from './vocabulary';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function patternPipe(field: string, pattern: RegExp, example: string) {
  @Injectable()
  class PatternPipe implements PipeTransform<string, string> {
    transform(value: string): string {
      if (!pattern.test(value)) throw ValidationFailed.field(field, `must look like ${example}`);
      return value;
    }
  }
  return PatternPipe;
}

export const EstablishmentCodePipe = patternPipe(
  'code',
  ESTABLISHMENT_CODE,
  'NHI (3 capital letters)',
);
export const PrisonNumberPipe = patternPipe('prisonNumber', PRISON_NUMBER, 'A1234BC');
/** An id that is not a UUID cannot name anything: that is "not found", not a bad request. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new NotFound(`No such record: ${value}`);
    return value.toLowerCase();
  }
}

export const UsernamePipe = patternPipe(
  'username',
  /^[a-z0-9._-]{2,64}$/i,
  'jsmith (2-64 letters, digits, . _ -)',
);
