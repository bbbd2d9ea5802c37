import type { FileProgress } from '../../../transfer-clients';
import { formatBytes } from '../../../lib/format-bytes';

const FILE_STATUS: Record<FileProgress['status'], string> = {
  queued: 'Waiting',
  running: 'Moving',
  completed: 'Done',
  failed: 'Failed',
  skipped: 'Not sent',
};

/** A transfer's files as its client reports them: path, status, bytes and the error of each. */
export function TransferFiles({ id, title, files }: { id: string; title: string; files: FileProgress[] }) {
  return (
    <table id={id} className="courier-transfer-files">
      <caption className="cds--visually-hidden">Files of {title}</caption>
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Status</th>
          <th scope="col">Size</th>
        </tr>
      </thead>
      <tbody>
        {files.map((file) => (
          <tr key={file.path} className={file.status === 'failed' ? 'courier-transfer-files__failed' : undefined}>
            <td className="courier-transfer-files__path">{file.path}</td>
            <td>
              {FILE_STATUS[file.status]}
              {file.error ? <span className="courier-transfer-files__error">: {file.error}</span> : null}
            </td>
            <td className="courier-transfer-files__bytes">
              {file.bytesTotal === null
                ? file.bytesDone > 0
                  ? formatBytes(file.bytesDone)
                  : '—'
                : file.bytesDone >= file.bytesTotal
                  ? formatBytes(file.bytesTotal)
                  : `${formatBytes(file.bytesDone)} of ${formatBytes(file.bytesTotal)}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
