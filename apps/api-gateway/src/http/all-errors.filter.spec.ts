import { BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { RpcRemoteError, RpcTimeoutError, RpcUnavailableError } from '@trading/streams';
import { AllErrorsFilter } from './all-errors.filter';

describe('AllErrorsFilter', () => {
  const filter = new AllErrorsFilter();

  it('keeps an HTTP exception status with the one error body', () => {
    expect(filter.toBody(new NotFoundException('Cannot GET /x'), 'r1')).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: 'Cannot GET /x', requestId: 'r1' });
  });

  it('lists every field error of a validation failure', () => {
    const body = filter.toBody(new BadRequestException({ error: 'VALIDATION_FAILED', message: 'a; b', details: ['a', 'b'] }), 'r2');
    expect(body).toEqual({ statusCode: 400, error: 'VALIDATION_FAILED', message: 'a; b', requestId: 'r2', details: ['a', 'b'] });
  });

  it("answers a service's error with its status and code, a timeout with 504 and a down service with 503", () => {
    expect(filter.toBody(new RpcRemoteError('auth.me', { status: 404, code: 'USER_NOT_FOUND', message: 'User not found' }), 'r3')).toMatchObject({ statusCode: 404, error: 'USER_NOT_FOUND' });
    expect(filter.toBody(new RpcTimeoutError('auth.me', 5000), 'r4')).toMatchObject({ statusCode: 504, requestId: 'r4' });
    expect(filter.toBody(new RpcUnavailableError('auth.me', 'no instance of the service is listening'), 'r5')).toMatchObject({ statusCode: 503, requestId: 'r5' });
  });

  it('answers an unknown error with 500 and the request id, never its message or stack, and logs it once', () => {
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const body = filter.toBody(new TypeError('secret internals at /app/x.ts:12'), 'r6');
    expect(body).toEqual({ statusCode: 500, error: 'INTERNAL_ERROR', message: 'Internal error', requestId: 'r6' });
    expect(log).toHaveBeenCalledTimes(1);
    log.mockRestore();
  });
});
