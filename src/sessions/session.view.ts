import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SessionView {
  @ApiProperty({ description: 'Whether the request carried a live session cookie' })
  signed_in: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'The session ends then; sign in again after' })
  expires_at?: string;

  @ApiPropertyOptional({ description: 'Send it back in the X-CSRF-Token header on every POST, PUT, PATCH and DELETE' })
  csrf_token?: string;
}
