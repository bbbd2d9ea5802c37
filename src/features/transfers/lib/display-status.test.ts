import { describe, expect, it } from 'vitest';
import { displayStatus } from './display-status';

describe('displayStatus', () => {
  it('lets an end seen by either side win, the client first', () => {
    expect(displayStatus({ status: 'running' }, 'cancelled')).toBe('cancelled');
    expect(displayStatus({ status: 'completed' }, 'running')).toBe('completed');
    expect(displayStatus({ status: 'failed' }, 'completed')).toBe('completed');
  });

  it('prefers the finer live status while running, and maps the server-only states', () => {
    expect(displayStatus({ status: 'authorized' }, 'starting')).toBe('starting');
    expect(displayStatus({ status: 'authorized' }, undefined)).toBe('queued');
    expect(displayStatus({ status: 'running' }, undefined)).toBe('running');
  });
});
