import { ApiProperty } from '@nestjs/swagger';

export class SessionView {
  @ApiProperty({ format: 'date-time', description: 'The session ends then; sign in again after' })
  expires_at: string;

  @ApiProperty({ description: 'Send it back in the X-CSRF-Token header on every POST, PUT, PATCH and DELETE' })
  csrf_token: string;
}
