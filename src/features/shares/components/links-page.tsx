import { Button, InlineNotification, Modal, Select, SelectItem, TableCell, TableRow } from '@carbon/react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Share } from '../../../../contract/shares';
import { spacesQueryOptions } from '../../../lib/spaces-query';
import { useShares, type SharesScope } from '../api/get-shares';
import { useRevokeShare } from '../api/change-share';
import { describeExpiry } from '../lib/expiry-choice';
import { EditShareDialog } from './edit-share-dialog';
import { LinkResult } from './link-result';
import { ShareStatusTag } from './share-status-tag';
import { DataTableFrame } from '../../../components/table/data-table-frame';

const itemsOf = (share: Share) => share.paths.map((p) => p.split('/').pop()).join(', ');

/**
 * "My links": the caller's share links with their status and completed downloads; edit and revoke.
 * A space's managers may show that space's links instead, and admins everyone's (docs/sharing.md §2).
 */
export function LinksPage({ isAdmin = false }: { isAdmin?: boolean }) {
  const [scopeValue, setScopeValue] = useState('mine');
  const spaces = useQuery(spacesQueryOptions());
  // A personal space's links are its owner's own: "My links" already shows them.
  const managed = (spaces.data ?? []).filter((s) => s.role === 'manager' && !s.personal);
  const scope: SharesScope =
    scopeValue === 'all' && isAdmin
      ? { kind: 'all' }
      : scopeValue.startsWith('space:')
        ? { kind: 'space', spaceId: scopeValue.slice('space:'.length) }
        : { kind: 'mine' };
  const scopeName =
    scope.kind === 'all'
      ? "Everyone's links"
      : scope.kind === 'space'
        ? `Links in ${managed.find((s) => s.id === scope.spaceId)?.name ?? 'the space'}`
        : 'My links';
  const othersToo = scope.kind !== 'mine';
  const shares = useShares(scope);
  const revoke = useRevokeShare();
  const [editing, setEditing] = useState<Share | null>(null);
  const [showing, setShowing] = useState<Share | null>(null);
  const [revoking, setRevoking] = useState<Share | null>(null);

  return (
    <section className="courier-page" aria-labelledby="links-title">
      <title>My links · Courier</title>
      <h1 id="links-title" className="courier-page__title">
        My links
      </h1>
      <p>Links you made from the Files page. A download counts once it has completed; opening a link never counts.</p>
      {isAdmin || managed.length > 0 ? (
        <Select
          id="courier-links-scope"
          labelText="Show"
          className="courier-links__scope"
          value={scopeValue}
          onChange={(e) => setScopeValue(e.target.value)}
        >
          <SelectItem value="mine" text="My links" />
          {managed.map((s) => (
            <SelectItem key={s.id} value={`space:${s.id}`} text={`Links in ${s.name}`} />
          ))}
          {isAdmin ? <SelectItem value="all" text="Everyone's links" /> : null}
        </Select>
      ) : null}
      {shares.isError ? (
        <InlineNotification
          kind="error"
          role="alert"
          lowContrast
          hideCloseButton
          title="Links not loaded"
          subtitle={shares.error.message}
        />
      ) : null}
      {shares.data && shares.data.length === 0 ? (
        <p>{othersToo ? 'No links here yet.' : 'You have not shared anything yet: select files on the Files page and choose Share.'}</p>
      ) : null}
      {shares.data && shares.data.length > 0 ? (
        <DataTableFrame
          label={scopeName}
          headers={['Shared', othersToo ? 'Shared by' : null, 'Space', 'Status', 'Downloads', 'Expires', 'Actions']}
        >
          {shares.data.map((share) => (
            <TableRow key={share.id} data-testid="share-row">
              <TableCell>{itemsOf(share)}</TableCell>
              {othersToo ? <TableCell>{share.ownerName}</TableCell> : null}
              <TableCell>{share.spaceName}</TableCell>
              <TableCell>
                <ShareStatusTag status={share.status} />
              </TableCell>
              <TableCell>{share.maxDownloads === null ? share.downloads : `${share.downloads} of ${share.maxDownloads}`}</TableCell>
              <TableCell>{describeExpiry(share.expiresAt)}</TableCell>
              <TableCell>
                <Button size="sm" kind="ghost" onClick={() => setShowing(share)} aria-label={`Show the link to ${itemsOf(share)}`}>
                  Link
                </Button>
                {share.status !== 'revoked' ? (
                  <>
                    <Button size="sm" kind="ghost" onClick={() => setEditing(share)} aria-label={`Edit the link to ${itemsOf(share)}`}>
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      kind="danger--ghost"
                      onClick={() => setRevoking(share)}
                      aria-label={`Revoke the link to ${itemsOf(share)}`}
                    >
                      Revoke
                    </Button>
                  </>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </DataTableFrame>
      ) : null}
      {editing ? <EditShareDialog share={editing} onClose={() => setEditing(null)} /> : null}
      {showing ? (
        <Modal open passiveModal modalHeading="Link" onRequestClose={() => setShowing(null)} size="sm">
          <LinkResult url={showing.url} />
        </Modal>
      ) : null}
      {revoking ? (
        <Modal
          open
          danger
          modalHeading={`Revoke the link to ${itemsOf(revoking)}?`}
          primaryButtonText={revoke.isPending ? 'Revoking…' : 'Revoke'}
          secondaryButtonText="Cancel"
          onRequestSubmit={() => revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
          onRequestClose={() => setRevoking(null)}
          size="sm"
        >
          <p>Anyone who opens it from now on is told it was revoked. This cannot be undone.</p>
        </Modal>
      ) : null}
    </section>
  );
}
