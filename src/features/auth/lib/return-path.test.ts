import { describe, expect, it } from 'vitest';
import { getLoginPath, getReturnPath } from './return-path';

describe('getReturnPath', () => {
  it('follows a path on this origin, keeping query and hash', () => {
    expect(getReturnPath('/transfers?status=running#top')).toBe('/transfers?status=running#top');
  });

  it.each([
    null,
    undefined,
    '',
    'files',
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '/\t/evil.example',
    'javascript:alert(1)',
  ])('goes home instead of %j', (next) => {
    expect(getReturnPath(next)).toBe('/files');
  });

  it('does not send the user back to the login page', () => {
    expect(getReturnPath('/login?next=/files')).toBe('/files');
  });
});

describe('getLoginPath', () => {
  it('remembers where the user was', () => {
    expect(getLoginPath({ pathname: '/transfers', search: '?a=1', hash: '' })).toBe('/login?next=%2Ftransfers%3Fa%3D1');
  });

  it('keeps the address short when there is nothing to remember', () => {
    expect(getLoginPath(null)).toBe('/login');
  });

  it('round-trips through getReturnPath', () => {
    const path = getLoginPath({ pathname: '/files/a b', search: '', hash: '#x' });
    const next = new URL(path, 'http://x').searchParams.get('next');
    expect(getReturnPath(next)).toBe('/files/a%20b#x');
  });
});
