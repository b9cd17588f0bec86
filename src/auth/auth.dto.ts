import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class TokenRequestDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(64) username!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) password!: string;
}
