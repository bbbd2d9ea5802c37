import { useParams } from 'react-router';
import { useSession } from '../../../features/auth/api/get-session';
import { BoxPage } from '../../../features/packages/components/box-page';
import { PackagePage } from '../../../features/packages/components/package-page';
import { SendPage } from '../../../features/packages/components/send-page';
import { useTransferRunner } from '../../../features/transfers/engine/transfer-engine-provider';

// The packages feature knows nothing of transfers: the app hands it the runner's actions, and the
// runner carries the package's own authorization (docs/packages.md §2) like any other.

/** `/send`. */
export function SendRoute() {
  const runner = useTransferRunner();
  return (
    <SendPage onSend={(sources, authorize) => runner.startUpload({ spaceId: '', folder: '/', sources, emptyFolders: [], authorize })} />
  );
}

/** `/inbox`. */
export function InboxRoute() {
  return <BoxPage key="inbox" box="inbox" />;
}

/** `/sent`. */
export function SentRoute() {
  return <BoxPage key="sent" box="sent" />;
}

/** `/packages/:packageId`. */
export function PackageRoute() {
  const runner = useTransferRunner();
  const id = useParams().packageId ?? '';
  const session = useSession();
  const user = session.data?.status === 'signed-in' ? session.data.session.user : null;
  if (!user) return null;
  return (
    <PackagePage
      key={id}
      id={id}
      userId={user.id}
      isAdmin={user.isAdmin}
      onDownload={(paths, authorize) => runner.startDownload({ spaceId: '', paths, authorize })}
    />
  );
}
