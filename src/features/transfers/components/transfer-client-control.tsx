import { ActionableNotification, Link as CarbonLink, Select, SelectItem } from '@carbon/react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DESKTOP_DOWNLOAD_PAGE } from '../../../transfer-clients';
import { useDesktopClient } from '../engine/transfer-engine-provider';
import { useTransfersStore, type ClientPreference } from '../stores/transfers-store';

const CHOICES: { value: ClientPreference; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'desktop', label: 'IBM Aspera for Desktop' },
  { value: 'http-gateway', label: 'Browser (HTTP Gateway)' },
];

/**
 * "Transfer with": the person's choice of client, and Desktop's state in words. Shown only when the
 * portal offers Desktop (an SDK URL is configured); otherwise the browser carries every transfer.
 * When Desktop is not there, offers to launch or install it; transfers meanwhile use the gateway.
 */
export function TransferClientControl() {
  const availability = useTransfersStore((s) => s.desktop);
  const preference = useTransfersStore((s) => s.preference);
  const setPreference = useTransfersStore((s) => s.setPreference);
  const [dismissed, setDismissed] = useState(false);
  const client = useDesktopClient();
  const missing = availability !== null && !availability.available && availability.state !== 'loading';
  const installers = useQuery({
    queryKey: ['desktop-installers'],
    queryFn: async () => (await client?.desktop.installers()) ?? [],
    enabled: missing && client !== undefined,
    staleTime: Infinity,
  });
  if (!availability || !client) return null;

  const state = availability.available
    ? 'IBM Aspera for Desktop is running.'
    : (availability.reason ?? 'IBM Aspera for Desktop is not available.');
  const installer = installers.data?.[0];
  return (
    <div className="courier-client-control">
      <Select
        id="transfer-client"
        inline
        size="sm"
        labelText="Transfer with"
        value={preference}
        onChange={(e) => setPreference(e.target.value as ClientPreference)}
        helperText={state}
      >
        {CHOICES.map((c) => (
          <SelectItem key={c.value} value={c.value} text={c.label} />
        ))}
      </Select>
      {missing && !dismissed ? (
        <ActionableNotification
          kind="warning"
          lowContrast
          inline
          role="status"
          title="IBM Aspera for Desktop is unavailable"
          subtitle={`${availability.reason ?? ''} Transfers go through the browser (HTTP Gateway) meanwhile.`}
          actionButtonLabel="Launch Desktop"
          onActionButtonClick={() => client.desktop.launch()}
          onClose={() => {
            setDismissed(true);
            return false;
          }}
        >
          {installer ? (
            <CarbonLink href={installer.url} className="courier-client-control__install">
              Install IBM Aspera for Desktop {installer.version}
            </CarbonLink>
          ) : installers.isFetched ? (
            // The lookup gave nothing (blocked, offline, no build for this platform): IBM's page.
            <CarbonLink href={DESKTOP_DOWNLOAD_PAGE} className="courier-client-control__install">
              Install IBM Aspera for Desktop
            </CarbonLink>
          ) : null}
        </ActionableNotification>
      ) : null}
    </div>
  );
}
