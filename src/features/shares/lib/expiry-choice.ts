/** The expiry choices the dialogs offer; `default` leaves it to the portal's setting (7 days unless an admin changed it). */
export const EXPIRY_CHOICES = [
  { value: 'default', label: 'Default (set by your administrator)' },
  { value: '1', label: 'In 1 day' },
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: 'never', label: 'Never (if your administrator allows it)' },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

/** The `expiresAt` a choice sends: absent for the default, null for never, else an ISO time. */
export function expiresAtOf(choice: ExpiryChoice, now = Date.now()): string | null | undefined {
  if (choice === 'default') return undefined;
  if (choice === 'never') return null;
  return new Date(now + Number(choice) * 86_400_000).toISOString();
}

/** "Tuesday, 8 December 2026 at 20:15", or "Never". */
export function describeExpiry(expiresAt: string | null): string {
  if (expiresAt === null) return 'Never';
  return new Date(expiresAt).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' });
}
