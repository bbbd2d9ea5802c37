import { describe, expect, it } from 'vitest';
import { createLogNotifier } from './log-notifier';

describe('createLogNotifier', () => {
  it('writes what happened and to whom, without the email address or the body text', async () => {
    const lines: unknown[] = [];
    const notifier = createLogNotifier({ info: (obj: unknown) => void lines.push(obj) } as never);
    await notifier.notify({
      userId: 'u1',
      email: 'bob@example.com',
      kind: 'request.submitted',
      subject: 'Ana sent 3 files (1.2 MB) for "Tax"',
      text: 'Ana <ana@example.com> answered your file request',
      link: 'http://localhost:8080/requests/abc',
    });
    expect(lines).toEqual([
      {
        notice: {
          kind: 'request.submitted',
          userId: 'u1',
          subject: 'Ana sent 3 files (1.2 MB) for "Tax"',
          link: 'http://localhost:8080/requests/abc',
        },
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('@example.com');
  });
});
