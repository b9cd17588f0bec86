import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class PutEstablishmentDto {
  @ApiProperty({ example: 'HMP New Hall' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}
