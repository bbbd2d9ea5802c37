import { Button, Checkbox, TableCell, TableRow } from '@carbon/react';
import { formatBytes } from '../../lib/format-bytes';
import { DataTableFrame } from '../table/data-table-frame';

export interface FileTableProps {
  files: readonly { path: string; size: number }[];
  /** A file's own Download button. */
  onDownload: (path: string) => void;
  disabled: boolean;
  /** With a selection, each row starts with its "Select <path>" checkbox. */
  selection?: { selected: ReadonlySet<string>; onToggle: (path: string, checked: boolean) => void };
}

/** A package's files, each with its size and its own Download button. */
export function FileTable({ files, onDownload, disabled, selection }: FileTableProps) {
  return (
    <DataTableFrame label="Files" headers={[selection ? 'Select' : null, 'File', 'Size', 'Download']}>
      {files.map((f) => (
        <TableRow key={f.path} data-testid="package-file">
          {selection ? (
            <TableCell>
              <Checkbox
                id={`pick-${f.path}`}
                labelText={`Select ${f.path}`}
                hideLabel
                checked={selection.selected.has(f.path)}
                onChange={(_, { checked }) => selection.onToggle(f.path, checked)}
              />
            </TableCell>
          ) : null}
          <TableCell>{f.path}</TableCell>
          <TableCell>{formatBytes(f.size)}</TableCell>
          <TableCell>
            <Button size="sm" kind="ghost" disabled={disabled} onClick={() => onDownload(f.path)}>
              Download {f.path}
            </Button>
          </TableCell>
        </TableRow>
      ))}
    </DataTableFrame>
  );
}
