import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class SignInDto {
  @ApiProperty({ description: 'The API_TOKEN', format: 'password' })
  @IsString({ message: 'token must be a string' })
  @MinLength(1, { message: 'token must not be empty' })
  @MaxLength(1024, { message: 'token must be at most 1024 characters' })
  token: string;
}
