import { Table, TableBody, TableContainer, TableHead, TableHeader, TableRow } from '@carbon/react';
import type { ReactNode } from 'react';

export interface DataTableFrameProps {
  /** The table's accessible name. */
  label: string;
  /** Column headings in order; a `null` one is a column this view leaves out. */
  headers: readonly ReactNode[];
  size?: 'xs' | 'sm' | 'md' | 'lg' | 'xl';
  /** The rows (`TableRow`s). */
  children: ReactNode;
  /** Under the table, in its container (Pagination). */
  footer?: ReactNode;
}

/** Carbon's table scaffolding every list page repeats: container, named table, one header row, body. */
export function DataTableFrame({ label, headers, size = 'md', children, footer }: DataTableFrameProps) {
  return (
    <TableContainer>
      <Table aria-label={label} size={size}>
        <TableHead>
          <TableRow>{headers.map((header, i) => (header === null ? null : <TableHeader key={i}>{header}</TableHeader>))}</TableRow>
        </TableHead>
        <TableBody>{children}</TableBody>
      </Table>
      {footer}
    </TableContainer>
  );
}
