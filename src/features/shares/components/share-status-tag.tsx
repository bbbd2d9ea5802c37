import { Tag } from '@carbon/react';
import type { ShareStatus } from '../../../../contract/shares';

const LOOK: Record<ShareStatus, { type: 'green' | 'gray' | 'red' | 'purple'; label: string }> = {
  active: { type: 'green', label: 'Active' },
  expired: { type: 'gray', label: 'Expired' },
  revoked: { type: 'red', label: 'Revoked' },
  'used-up': { type: 'purple', label: 'Used up' },
};

export function ShareStatusTag({ status }: { status: ShareStatus }) {
  const look = LOOK[status];
  return (
    <Tag type={look.type} size="sm">
      {look.label}
    </Tag>
  );
}
