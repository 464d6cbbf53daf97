import { describe, expect, it, jest } from '@jest/globals';
import { ArgumentsHost, BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { AllExceptionsFilter } from './all-exceptions.filter.js';

function run(exception: unknown) {
  const sent: { status?: number; body?: unknown } = {};
  const response = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return sent;
}

describe('AllExceptionsFilter', () => {
  it('keeps an HTTP exception status and message', () => {
    expect(run(new NotFoundException('No such event'))).toEqual({
      status: 404,
      body: { statusCode: 404, message: 'No such event' },
    });
    expect(run(new BadRequestException(['repo must be valid']))).toEqual({
      status: 400,
      body: { statusCode: 400, message: ['repo must be valid'] },
    });
  });

  it('maps body-parser errors to their 4xx with a readable message', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
    expect(run(tooLarge)).toEqual({ status: 413, body: { statusCode: 413, message: 'Request body is too large' } });
    const malformed = Object.assign(new SyntaxError('Unexpected token'), { status: 400, type: 'entity.parse.failed' });
    expect(run(malformed)).toEqual({
      status: 400,
      body: { statusCode: 400, message: 'Request body is not valid JSON' },
    });
    // As Nest's express adapter hands it over: wrapped, with the parser error as the cause.
    const wrapped = new BadRequestException('Unexpected end of JSON input', { cause: malformed });
    expect(run(wrapped)).toEqual({ status: 400, body: { statusCode: 400, message: 'Request body is not valid JSON' } });
    // Strict parsing refuses valid JSON that is not an object or array: not "invalid JSON".
    const scalar = Object.assign(new SyntaxError('Unexpected token'), {
      status: 400,
      type: 'entity.parse.failed',
      body: 'null',
    });
    expect(run(scalar)).toEqual({
      status: 400,
      body: { statusCode: 400, message: 'Request body must be a JSON object' },
    });
  });

  it('answers 503 when Postgres is unreachable', () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(run(error)).toEqual({
      status: 503,
      body: { statusCode: 503, message: 'Database unavailable, try again later' },
    });
  });

  it.each([
    ['a lock held past lock_timeout by a frozen process', '55P03', 'canceling statement due to lock timeout'],
    [
      'this session ended by idle_in_transaction_session_timeout',
      '25P03',
      'terminating connection due to idle-in-transaction timeout',
    ],
  ])('answers 503 for %s, to be tried again', (_case, code, message) => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const error = Object.assign(new Error(message), { driverError: Object.assign(new Error(message), { code }) });
    expect(run(error)).toEqual({
      status: 503,
      body: { statusCode: 503, message: 'Database unavailable, try again later' },
    });
  });

  it('hides the internals of unknown errors behind a logged 500', () => {
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const result = run(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(result).toEqual({ status: 500, body: { statusCode: 500, message: 'Internal server error' } });
    expect(JSON.stringify(result.body)).not.toContain('secret');
    expect(log).toHaveBeenCalled();
    // An error carrying a 5xx `status` (an Octokit RequestError GitHub answered 502) is no client error:
    // its message (a URL, GitHub's words) stays in the log.
    const upstream = Object.assign(new Error('Bad Gateway - https://api.github.example/repos/o/r?token=x'), {
      status: 502,
    });
    expect(run(upstream)).toEqual({ status: 500, body: { statusCode: 500, message: 'Internal server error' } });
    log.mockRestore();
  });
});
