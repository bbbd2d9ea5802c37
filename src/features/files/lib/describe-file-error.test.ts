import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import { describeFileError } from './describe-file-error';

const error = (code: ApiError['code']) => new ApiError({ code, message: 'server words', status: 400 });

describe('describeFileError', () => {
  it('decides by code, never by the server message', () => {
    expect(describeFileError(error('NAME_TAKEN'))).toMatch(/already there/);
    expect(describeFileError(error('INVALID_NAME'))).toMatch(/control characters/);
    expect(describeFileError(error('FORBIDDEN'))).toMatch(/role/);
    expect(describeFileError(error('NODE_UNAVAILABLE'))).toMatch(/storage server/);
    expect(describeFileError(error('INTERNAL'))).toBe('Something went wrong (INTERNAL). Try again.');
    expect(describeFileError(new Error('x'))).toMatch(/Something went wrong/);
  });
});
