import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** How every error leaves (errorResponse in src/common). */
export class ErrorBody {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'What went wrong and what to fix',
  })
  message: string | string[];
}

const MEANINGS: Record<number, string> = {
  400: 'Bad input; the message says which field and why',
  401: 'Missing or wrong bearer token (API_TOKEN)',
  404: 'Not found',
  409: 'Not in a state that allows this',
  422: 'GitHub rejected the hook; its message is passed on',
  429: 'Too many requests from this address (API_RATE_LIMIT_PER_MINUTE); see Retry-After',
  502: 'GitHub unreachable, or GITHUB_TOKEN rejected',
  503: 'Postgres unavailable, or GITHUB_TOKEN rate-limited (see Retry-After)',
};

/** Documents the error answers of a route, all shaped as ErrorBody. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, type: ErrorBody, description: MEANINGS[status] })),
  );
}
