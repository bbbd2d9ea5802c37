import {
  Button,
  Checkbox,
  InlineNotification,
  Modal,
  PasswordInput,
  ProgressBar,
  RadioButton,
  RadioButtonGroup,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  TextInput,
} from '@carbon/react';
import { useState } from 'react';
import type { AdminNode, NodeAuthType } from '../../../../contract/nodes';
import { formatBytes } from '../../../lib/format-bytes';
import { useAddNode, useAdminNodes, useNodeTransfers, useRemoveNode, useUpdateNode } from '../api/admin-nodes';
import { errorMessage } from '../../../lib/error-message';

type Dialog = { kind: 'add' } | { kind: 'edit'; node: AdminNode } | { kind: 'remove'; node: AdminNode } | null;

/** Transfer nodes with what their /info says now: add, edit credentials, remove, running transfers. */
export function AdminNodesPage() {
  const nodes = useAdminNodes();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [transfersOf, setTransfersOf] = useState<AdminNode | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const close = (message?: string) => {
    setDialog(null);
    if (message) setDone(message);
  };
  return (
    <section className="courier-admin" aria-labelledby="admin-nodes-title">
      <h1 id="admin-nodes-title">Nodes</h1>
      <p role="status">{done}</p>
      <TableContainer>
        <div className="courier-admin__toolbar">
          <Button onClick={() => setDialog({ kind: 'add' })}>Add node</Button>
        </div>
        {nodes.isError ? (
          <InlineNotification kind="error" title="Nodes could not be loaded" subtitle={errorMessage(nodes.error)} hideCloseButton />
        ) : null}
        <Table aria-label="Nodes" aria-busy={nodes.isFetching}>
          <TableHead>
            <TableRow>
              <TableHeader>Name</TableHeader>
              <TableHeader>Node API URL</TableHeader>
              <TableHeader>State</TableHeader>
              <TableHeader>Version</TableHeader>
              <TableHeader>Spaces</TableHeader>
              <TableHeader>Packages folder</TableHeader>
              <TableHeader>
                <span className="cds--visually-hidden">Actions</span>
              </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {(nodes.data ?? []).map((node) => (
              <TableRow key={node.id}>
                <TableCell>
                  {node.name}
                  {node.authType === 'access_key' ? <Tag type="cool-gray">Access key</Tag> : null}
                  {node.bearerTokens ? <Tag type="purple">A3 bearer tokens</Tag> : null}
                </TableCell>
                <TableCell>
                  <code>{node.url}</code>
                </TableCell>
                <TableCell>
                  {node.reachable ? (
                    <Tag type="green">Reachable</Tag>
                  ) : (
                    <>
                      <Tag type="red">Unreachable</Tag> {node.problem}
                    </>
                  )}
                </TableCell>
                <TableCell>{node.version ?? '—'}</TableCell>
                <TableCell>{node.spaceCount}</TableCell>
                <TableCell data-testid="node-packages-root">
                  {node.packagesRoot ?? (node.kind === 'embedded' ? '/packages (default)' : 'none')}
                </TableCell>
                <TableCell>
                  <Button kind="ghost" size="sm" onClick={() => setTransfersOf(node)} aria-label={`Transfers on ${node.name}`}>
                    Transfers
                  </Button>
                  <Button kind="ghost" size="sm" onClick={() => setDialog({ kind: 'edit', node })} aria-label={`Edit ${node.name}`}>
                    Edit
                  </Button>
                  <Button
                    kind="danger--ghost"
                    size="sm"
                    onClick={() => setDialog({ kind: 'remove', node })}
                    aria-label={`Remove ${node.name}`}
                  >
                    Remove
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {transfersOf ? <NodeTransfers node={transfersOf} onClose={() => setTransfersOf(null)} /> : null}
      {dialog?.kind === 'add' ? <NodeDialog onClose={close} /> : null}
      {dialog?.kind === 'edit' ? <NodeDialog node={dialog.node} onClose={close} /> : null}
      {dialog?.kind === 'remove' ? <RemoveNodeDialog node={dialog.node} onClose={close} /> : null}
    </section>
  );
}

/** Add a node, or change one's URL and credentials; the secret is never shown, blank keeps it. */
function NodeDialog({ node, onClose }: { node?: AdminNode; onClose: (message?: string) => void }) {
  const add = useAddNode();
  const update = useUpdateNode();
  const mutation = node ? update : add;
  const [name, setName] = useState(node?.name ?? '');
  const [url, setUrl] = useState(node?.url ?? '');
  const [authType, setAuthType] = useState<NodeAuthType>(node?.authType ?? 'node_user');
  const [username, setUsername] = useState(node?.username ?? '');
  const [secret, setSecret] = useState('');
  const [gatewayUrl, setGatewayUrl] = useState(node?.gatewayUrl ?? '');
  const [bearerTokens, setBearerTokens] = useState(node?.bearerTokens ?? false);
  const [packagesRoot, setPackagesRoot] = useState(node?.packagesRoot ?? '');
  const ready = name.trim() && url.trim() && username.trim() && (node || secret);
  const submit = () => {
    if (!ready) return;
    const settings = {
      url: url.trim(),
      username: username.trim(),
      secret,
      gatewayUrl: gatewayUrl.trim() || null,
      authType,
      // A3 needs an access key (docs/node-api.md §6.5): switching to the node user turns it off.
      bearerTokens: authType === 'access_key' && bearerTokens,
    };
    if (node)
      update.mutate(
        { id: node.id, ...settings, packagesRoot: packagesRoot.trim() || null },
        { onSuccess: () => onClose(`Node ${node.name} updated.`) },
      );
    else add.mutate({ name: name.trim(), ...settings }, { onSuccess: (n) => onClose(`Node ${n.name} added.`) });
  };
  return (
    <Modal
      open
      modalHeading={node ? `Edit ${node.name}` : 'Add a node'}
      primaryButtonText={mutation.isPending ? 'Testing the node…' : node ? 'Test and save' : 'Test and add'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={mutation.isPending || !ready}
      onRequestSubmit={submit}
      onRequestClose={() => onClose()}
      size="sm"
    >
      <p>The portal connects to the node with these settings before saving them.</p>
      {node ? null : (
        <TextInput id="node-name" labelText="Name" value={name} onChange={(e) => setName(e.target.value)} data-modal-primary-focus />
      )}
      <TextInput
        id="node-url"
        labelText="Node API URL"
        placeholder="https://hsts.example.com:9092"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
      />
      <RadioButtonGroup
        legendText="Sign in to the node with"
        name="node-auth-type"
        orientation="vertical"
        valueSelected={authType}
        onChange={(value) => setAuthType(value as NodeAuthType)}
      >
        <RadioButton id="node-auth-node-user" labelText="Its node user (the whole docroot)" value="node_user" />
        <RadioButton id="node-auth-access-key" labelText="An access key (only the key’s storage)" value="access_key" />
      </RadioButtonGroup>
      <TextInput
        id="node-username"
        labelText={authType === 'access_key' ? 'Access key id' : 'Node user'}
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <PasswordInput
        id="node-secret"
        labelText={authType === 'access_key' ? 'Access key secret' : 'Password'}
        helperText={node ? 'Leave empty to keep the stored one. It is never shown.' : undefined}
        value={secret}
        autoComplete="new-password"
        onChange={(e) => setSecret(e.target.value)}
      />
      {authType === 'access_key' ? (
        <Checkbox
          id="node-bearer-tokens"
          labelText="Bearer tokens (A3): each person acts on the node with a token of their own, and the node itself holds them to their space role"
          checked={bearerTokens}
          onChange={(_, { checked }) => setBearerTokens(checked)}
        />
      ) : null}
      <TextInput
        id="node-gateway"
        labelText="HTTP Gateway URL (optional)"
        value={gatewayUrl}
        onChange={(e) => setGatewayUrl(e.target.value)}
      />
      {node ? (
        <TextInput
          id="node-packages-root"
          labelText="Packages folder (optional)"
          helperText={`Where packages sent to people are kept on this node, outside every space. Empty: ${node.kind === 'embedded' ? '/packages' : 'this node keeps no packages'}.`}
          placeholder="/packages"
          value={packagesRoot}
          onChange={(e) => setPackagesRoot(e.target.value)}
        />
      ) : null}
      {mutation.isError ? (
        <InlineNotification
          kind="error"
          title={node ? 'Not saved' : 'Not added'}
          subtitle={errorMessage(mutation.error)}
          hideCloseButton
          lowContrast
        />
      ) : null}
    </Modal>
  );
}

function RemoveNodeDialog({ node, onClose }: { node: AdminNode; onClose: (message?: string) => void }) {
  const remove = useRemoveNode();
  return (
    <Modal
      open
      danger
      modalHeading={`Remove ${node.name}?`}
      primaryButtonText={remove.isPending ? 'Removing…' : 'Remove'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={remove.isPending}
      onRequestSubmit={() => remove.mutate(node.id, { onSuccess: () => onClose(`Node ${node.name} removed.`) })}
      onRequestClose={() => onClose()}
      size="sm"
    >
      <p>The portal forgets this node and its credentials. Files on the node are not touched.</p>
      {remove.isError ? (
        <InlineNotification kind="error" title="Not removed" subtitle={errorMessage(remove.error)} hideCloseButton lowContrast />
      ) : null}
    </Modal>
  );
}

function NodeTransfers({ node, onClose }: { node: AdminNode; onClose: () => void }) {
  const transfers = useNodeTransfers(node.id);
  return (
    <Modal open passiveModal modalHeading={`Running transfers on ${node.name}`} onRequestClose={onClose} size="lg">
      {transfers.isError ? (
        <InlineNotification
          kind="error"
          title="Transfers could not be read"
          subtitle={errorMessage(transfers.error)}
          hideCloseButton
          lowContrast
        />
      ) : null}
      {transfers.data && transfers.data.length === 0 ? <p>No transfers are running on this node.</p> : null}
      {transfers.data && transfers.data.length > 0 ? (
        <Table aria-label={`Running transfers on ${node.name}`} size="sm">
          <TableHead>
            <TableRow>
              <TableHeader>Files</TableHeader>
              <TableHeader>Direction</TableHeader>
              <TableHeader>State</TableHeader>
              <TableHeader>Progress</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {transfers.data.map((t) => (
              <TableRow key={t.id}>
                <TableCell>{t.paths.join(', ') || t.id}</TableCell>
                <TableCell>{t.direction ?? '—'}</TableCell>
                <TableCell>{t.status}</TableCell>
                <TableCell>
                  <ProgressBar
                    label={`${formatBytes(t.bytesTransferred)}${t.bytesExpected ? ` of ${formatBytes(t.bytesExpected)}` : ''}, ${t.filesCompleted}${t.filesExpected !== null ? ` of ${t.filesExpected}` : ''} files`}
                    value={t.bytesExpected ? Math.min(100, (t.bytesTransferred / t.bytesExpected) * 100) : undefined}
                    size="small"
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Modal>
  );
}
