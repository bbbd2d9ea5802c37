import {
  Button,
  InlineNotification,
  Modal,
  Pagination,
  RadioButton,
  RadioButtonGroup,
  Search,
  Select,
  SelectItem,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeader,
  TableRow,
  TextInput,
} from '@carbon/react';
import { useState } from 'react';
import type { AdminSpace } from '../../../../contract/spaces';
import { useAdminNodes } from '../api/admin-nodes';
import { ADMIN_SPACES_PAGE_SIZE, useAdminSpaces, useCreateSpace, useDeleteSpace, useRenameSpace } from '../api/admin-spaces';
import { errorMessage } from '../../../lib/error-message';

type Dialog = { kind: 'create' } | { kind: 'rename'; space: AdminSpace } | { kind: 'delete'; space: AdminSpace } | null;

/** Every space with its node, folder and member count: create, rename, delete (docs/architecture.md §4.2). */
export function AdminSpacesPage() {
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(ADMIN_SPACES_PAGE_SIZE);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<string | null>(null);
  const spaces = useAdminSpaces({ q, page, pageSize });
  const close = (message?: string) => {
    setDialog(null);
    if (message) setDone(message);
  };

  return (
    <section className="courier-admin" aria-labelledby="admin-spaces-title">
      <h1 id="admin-spaces-title">Spaces</h1>
      <p role="status">{done}</p>
      <TableContainer>
        <div className="courier-admin__toolbar">
          <Search
            labelText="Search spaces by name or folder"
            placeholder="Search spaces by name or folder"
            size="lg"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
          />
          <Button onClick={() => setDialog({ kind: 'create' })}>Create space</Button>
        </div>
        {spaces.isError ? (
          <InlineNotification kind="error" title="Spaces could not be loaded" subtitle={errorMessage(spaces.error)} hideCloseButton />
        ) : null}
        <Table aria-label="Spaces" aria-busy={spaces.isFetching}>
          <TableHead>
            <TableRow>
              <TableHeader>Name</TableHeader>
              <TableHeader>Node</TableHeader>
              <TableHeader>Folder</TableHeader>
              <TableHeader>Members</TableHeader>
              <TableHeader>
                <span className="cds--visually-hidden">Actions</span>
              </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {(spaces.data?.spaces ?? []).map((space) => (
              <TableRow key={space.id}>
                <TableCell>{space.name}</TableCell>
                <TableCell>{space.nodeName}</TableCell>
                <TableCell>
                  <code>{space.rootPath}</code>
                </TableCell>
                <TableCell>{space.memberCount}</TableCell>
                <TableCell>
                  {space.personal ? null : (
                    <Button kind="ghost" size="sm" onClick={() => setDialog({ kind: 'rename', space })} aria-label={`Rename ${space.name}`}>
                      Rename
                    </Button>
                  )}
                  <Button
                    kind="danger--ghost"
                    size="sm"
                    onClick={() => setDialog({ kind: 'delete', space })}
                    aria-label={`Delete ${space.name}`}
                  >
                    Delete
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {spaces.data && spaces.data.total === 0 ? <p>No spaces{q.trim() ? ` match “${q.trim()}”` : ''}.</p> : null}
        <Pagination
          page={page}
          pageSize={pageSize}
          pageSizes={[10, 25, 50, 100]}
          totalItems={spaces.data?.total ?? 0}
          onChange={({ page: next, pageSize: size }) => {
            setPage(next);
            setPageSize(size);
          }}
        />
      </TableContainer>
      {dialog?.kind === 'create' ? <CreateSpaceDialog onClose={close} /> : null}
      {dialog?.kind === 'rename' ? <RenameSpaceDialog space={dialog.space} onClose={close} /> : null}
      {dialog?.kind === 'delete' ? <DeleteSpaceDialog space={dialog.space} onClose={close} /> : null}
    </section>
  );
}

function CreateSpaceDialog({ onClose }: { onClose: (message?: string) => void }) {
  const nodes = useAdminNodes();
  const create = useCreateSpace();
  const [name, setName] = useState('');
  const [nodeId, setNodeId] = useState('');
  const [rootPath, setRootPath] = useState('');
  const chosenNode = nodeId || (nodes.data?.find((n) => n.isDefault) ?? nodes.data?.[0])?.id || '';
  const submit = () => {
    if (!name.trim() || !chosenNode) return;
    create.mutate(
      { name: name.trim(), nodeId: chosenNode, ...(rootPath.trim() ? { rootPath: rootPath.trim() } : {}) },
      { onSuccess: (space) => onClose(`Space ${space.name} created.`) },
    );
  };
  return (
    <Modal
      open
      modalHeading="Create a space"
      primaryButtonText={create.isPending ? 'Creating…' : 'Create'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={create.isPending || !name.trim() || !chosenNode}
      onRequestSubmit={submit}
      onRequestClose={() => onClose()}
      size="sm"
    >
      <TextInput id="create-space-name" labelText="Name" value={name} onChange={(e) => setName(e.target.value)} data-modal-primary-focus />
      <Select id="create-space-node" labelText="Node" value={chosenNode} onChange={(e) => setNodeId(e.target.value)}>
        {(nodes.data ?? []).map((n) => (
          <SelectItem key={n.id} value={n.id} text={`${n.name}${n.reachable ? '' : ' (unreachable)'}`} />
        ))}
      </Select>
      <TextInput
        id="create-space-root"
        labelText="Folder on the node (optional)"
        helperText="For example /projects/alpha. Left empty, a new folder under /spaces is made."
        value={rootPath}
        onChange={(e) => setRootPath(e.target.value)}
      />
      {create.isError ? (
        <InlineNotification kind="error" title="Not created" subtitle={errorMessage(create.error)} hideCloseButton lowContrast />
      ) : null}
    </Modal>
  );
}

function RenameSpaceDialog({ space, onClose }: { space: AdminSpace; onClose: (message?: string) => void }) {
  const rename = useRenameSpace();
  const [name, setName] = useState(space.name);
  return (
    <Modal
      open
      modalHeading={`Rename ${space.name}`}
      primaryButtonText={rename.isPending ? 'Renaming…' : 'Rename'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={rename.isPending || !name.trim()}
      onRequestSubmit={() =>
        rename.mutate({ id: space.id, name: name.trim() }, { onSuccess: (s) => onClose(`Space renamed to ${s.name}.`) })
      }
      onRequestClose={() => onClose()}
      size="sm"
    >
      <p>The folder on the node stays {space.rootPath}; only the name people see changes.</p>
      <TextInput
        id="rename-space-name"
        labelText="New name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        data-modal-primary-focus
      />
      {rename.isError ? (
        <InlineNotification kind="error" title="Not renamed" subtitle={errorMessage(rename.error)} hideCloseButton lowContrast />
      ) : null}
    </Modal>
  );
}

function DeleteSpaceDialog({ space, onClose }: { space: AdminSpace; onClose: (message?: string) => void }) {
  const remove = useDeleteSpace();
  const [files, setFiles] = useState<'keep' | 'delete'>('keep');
  const [typed, setTyped] = useState('');
  const confirmed = files === 'keep' || typed === space.name;
  return (
    <Modal
      open
      danger
      modalHeading={`Delete ${space.name}?`}
      primaryButtonText={remove.isPending ? 'Deleting…' : files === 'delete' ? 'Delete space and files' : 'Delete space'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={remove.isPending || !confirmed}
      onRequestSubmit={() =>
        remove.mutate(
          { id: space.id, files, ...(files === 'delete' ? { confirmName: typed } : {}) },
          {
            onSuccess: () =>
              onClose(
                files === 'delete'
                  ? `Space ${space.name} and its files deleted.`
                  : `Space ${space.name} deleted; its files stay on the node.`,
              ),
          },
        )
      }
      onRequestClose={() => onClose()}
      size="sm"
    >
      <p>
        Its members lose access at once. Its folder is {space.rootPath} on {space.nodeName}.
      </p>
      <RadioButtonGroup
        legendText="Files in the space's folder"
        name="delete-space-files"
        orientation="vertical"
        valueSelected={files}
        onChange={(value) => setFiles(value === 'delete' ? 'delete' : 'keep')}
      >
        <RadioButton id="delete-space-keep" labelText="Keep the files on the node" value="keep" />
        <RadioButton id="delete-space-delete" labelText="Delete the files too (cannot be undone)" value="delete" />
      </RadioButtonGroup>
      {files === 'delete' ? (
        <TextInput
          id="delete-space-confirm"
          labelText={`Type the space's name, ${space.name}, to confirm`}
          value={typed}
          autoComplete="off"
          onChange={(e) => setTyped(e.target.value)}
        />
      ) : null}
      {remove.isError ? (
        <InlineNotification kind="error" title="Not deleted" subtitle={errorMessage(remove.error)} hideCloseButton lowContrast />
      ) : null}
    </Modal>
  );
}
