import { UserMultiple } from '@carbon/icons-react';
import {
  Button,
  InlineNotification,
  Modal,
  Search,
  Select,
  SelectItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@carbon/react';
import { useState } from 'react';
import { ROLES, roleAllows, type Role } from '../../../../contract/roles';
import type { MemberCandidate, SpaceMember } from '../../../../contract/spaces';
import { useMemberCandidates, usePutMember, useRemoveMember, useSpaceMembers, useSpaceRole } from '../api/space-members';
import { errorMessage } from '../../../lib/error-message';

/** "Members" in a space's toolbar, for those who manage it (contract/roles.ts): who has which role. */
export function SpaceMembersButton({ spaceId }: { spaceId: string }) {
  const space = useSpaceRole(spaceId);
  const [open, setOpen] = useState(false);
  if (!space.data || !roleAllows(space.data.role, 'manageMembers')) return null;
  return (
    <>
      <Button kind="ghost" size="sm" renderIcon={UserMultiple} onClick={() => setOpen(true)}>
        Members
      </Button>
      {open ? <MembersDialog spaceId={spaceId} spaceName={space.data.name} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

const key = (m: Pick<SpaceMember, 'principalType' | 'principalId'>) => `${m.principalType}:${m.principalId}`;

function MembersDialog({ spaceId, spaceName, onClose }: { spaceId: string; spaceName: string; onClose: () => void }) {
  const members = useSpaceMembers(spaceId);
  const put = usePutMember(spaceId);
  const remove = useRemoveMember(spaceId);
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [said, setSaid] = useState('');
  const candidates = useMemberCandidates(spaceId, q);
  const present = new Set((members.data ?? []).map(key));
  const add = (c: MemberCandidate) =>
    put.mutate(
      { principalType: c.principalType, principalId: c.principalId, role },
      { onSuccess: () => setSaid(`${c.name} added as ${role}.`) },
    );
  const error = put.error ?? remove.error;
  return (
    <Modal open passiveModal modalHeading={`Members of ${spaceName}`} onRequestClose={onClose} size="lg">
      <p role="status">{said}</p>
      {members.isError ? (
        <InlineNotification
          kind="error"
          title="Members could not be loaded"
          subtitle={errorMessage(members.error)}
          hideCloseButton
          lowContrast
        />
      ) : null}
      {error ? <InlineNotification kind="error" title="Not changed" subtitle={errorMessage(error)} hideCloseButton lowContrast /> : null}
      <Table aria-label={`Members of ${spaceName}`} size="sm">
        <TableHead>
          <TableRow>
            <TableHeader>Name</TableHeader>
            <TableHeader>Kind</TableHeader>
            <TableHeader>Role</TableHeader>
            <TableHeader>
              <span className="cds--visually-hidden">Actions</span>
            </TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {(members.data ?? []).map((m) => (
            <TableRow key={key(m)}>
              <TableCell>{m.name}</TableCell>
              <TableCell>{m.principalType === 'user' ? 'Person' : 'Group'}</TableCell>
              <TableCell>
                <Select
                  id={`role-${key(m)}`}
                  labelText={`Role of ${m.name}`}
                  hideLabel
                  size="sm"
                  value={m.role}
                  onChange={(e) => {
                    const next = e.target.value as Role;
                    put.mutate(
                      { principalType: m.principalType, principalId: m.principalId, role: next },
                      { onSuccess: () => setSaid(`${m.name} is now ${next}.`) },
                    );
                  }}
                >
                  {ROLES.map((r) => (
                    <SelectItem key={r} value={r} text={r} />
                  ))}
                </Select>
              </TableCell>
              <TableCell>
                <Button
                  kind="ghost"
                  size="sm"
                  aria-label={`Remove ${m.name}`}
                  onClick={() => remove.mutate(m, { onSuccess: () => setSaid(`${m.name} removed; they no longer see this space.`) })}
                >
                  Remove
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {members.data && members.data.length === 0 ? <p>No members yet.</p> : null}

      <h2 className="courier-admin__subheading">Add people or groups</h2>
      <div className="courier-admin__toolbar">
        <Search
          labelText="Find people or groups by name"
          placeholder="Find people or groups by name"
          size="md"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <Select
          id="new-member-role"
          labelText="Role for new members"
          size="md"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
        >
          {ROLES.map((r) => (
            <SelectItem key={r} value={r} text={r} />
          ))}
        </Select>
      </div>
      {candidates.data && candidates.data.length === 0 ? <p>No one matches “{q.trim()}”.</p> : null}
      <ul aria-label="Matches" className="courier-admin__list">
        {(candidates.data ?? []).map((c) => (
          <li key={key(c)}>
            {c.name}
            {c.username ? ` (${c.username})` : ' (group)'}{' '}
            {present.has(key(c)) ? (
              '· already a member'
            ) : (
              <Button kind="ghost" size="sm" disabled={put.isPending} onClick={() => add(c)} aria-label={`Add ${c.name}`}>
                Add
              </Button>
            )}
          </li>
        ))}
      </ul>
    </Modal>
  );
}
