import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './content-security-policy';

/** The directive's sources, e.g. `directive(csp, 'frame-src')` → `["'self'", 'aspera:']`. */
function directive(csp: string, name: string): string[] {
  const found = csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([n]) => n === name);
  if (!found) throw new Error(`no ${name} in ${csp}`);
  return found.slice(1);
}

const gatewayOrigins = ['https://gw.example.com'];

describe('contentSecurityPolicy', () => {
  it("with an SDK URL, allows what IBM's SDK reaches: its script, Desktop on loopback, the aspera:// launch frame, IBM's installer list", () => {
    const csp = contentSecurityPolicy({
      gatewayOrigins,
      asperaSdkUrl: 'https://cdn.example.com/npm/@ibm-aspera/sdk@0.23.5/dist/js/aspera-sdk.js',
    });
    expect(directive(csp, 'script-src')).toEqual(["'self'", 'https://cdn.example.com']);
    const connect = directive(csp, 'connect-src');
    for (const port of [33024, 33025, 33026, 33027, 33028, 33029]) {
      expect(connect).toContain(`http://127.0.0.1:${port}`);
      expect(connect).toContain(`ws://127.0.0.1:${port}`);
    }
    expect(connect).toContain('https://downloads.ibmaspera.com');
    expect(connect).toContain('https://gw.example.com');
    expect(connect).not.toContain('http://127.0.0.1:*');
    expect(directive(csp, 'frame-src')).toEqual(["'self'", 'https://gw.example.com', 'aspera:']);
  });

  it('without an SDK URL, allows none of it', () => {
    const csp = contentSecurityPolicy({ gatewayOrigins });
    expect(directive(csp, 'script-src')).toEqual(["'self'"]);
    expect(directive(csp, 'connect-src')).toEqual(["'self'", 'https://gw.example.com']);
    expect(directive(csp, 'frame-src')).toEqual(["'self'", 'https://gw.example.com']);
    expect(csp).not.toMatch(/aspera:|127\.0\.0\.1|ibmaspera/);
  });
});
