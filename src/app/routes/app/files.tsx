import { useParams } from 'react-router';
import { FolderView } from '../../../features/files/components/folder-view';
import { SpacesList } from '../../../features/files/components/spaces-list';
import { parseFolderSplat } from '../../../lib/folder-url';
import { RequestFilesButton } from '../../../features/requests/components/request-files-button';
import { ShareButton } from '../../../features/shares/components/share-button';
import { CopyMoveButtons } from '../../../features/copies/components/copy-move-buttons';
import { SendSelectionButton } from '../../../features/packages/components/send-selection-button';
import { SpaceMembersButton } from '../../../features/admin-infra/components/space-members-button';
import { TransferClientControl } from '../../../features/transfers/components/transfer-client-control';
import { useTransferRunner } from '../../../features/transfers/engine/transfer-engine-provider';
import { useNativePick } from '../../../features/transfers/engine/use-native-pick';

/** `/files` lists the spaces; `/files/<space>/<folder…>` shows a folder, its drops and downloads. */
export function FilesRoute() {
  const folder = parseFolderSplat(useParams()['*'] ?? '');
  // The files feature knows nothing of transfers: the app hands it the runner's actions.
  const runner = useTransferRunner();
  const nativePick = useNativePick();
  if (!folder) return <SpacesList />;
  return (
    <FolderView
      // A new folder starts with a fresh selection, sort and dialogs.
      key={`${folder.spaceId}:${folder.path}`}
      spaceId={folder.spaceId}
      path={folder.path}
      onUpload={runner.startUpload}
      onDownload={runner.startDownload}
      onNativePick={nativePick}
      uploadClient={<TransferClientControl />}
      toolbarActions={
        <>
          <RequestFilesButton spaceId={folder.spaceId} folder={folder.path} />
          <SpaceMembersButton spaceId={folder.spaceId} />
        </>
      }
      selectionActions={(selected) => (
        <>
          <ShareButton {...selected} />
          <CopyMoveButtons {...selected} />
          <SendSelectionButton {...selected} />
        </>
      )}
    />
  );
}
