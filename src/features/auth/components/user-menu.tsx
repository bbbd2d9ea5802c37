import { Button, HeaderGlobalAction, HeaderPanel, InlineNotification, RadioButton, RadioButtonGroup } from '@carbon/react';
import { Logout, UserAvatar } from '@carbon/icons-react';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { User } from '../../../../contract/session';
import { useDismiss } from '../../../hooks/use-dismiss';
import { useThemePreference } from '../../../hooks/use-theme-preference';
import { THEME_PREFERENCES, type ThemePreference } from '../../../lib/theme-preference';
import { useLogOut } from '../api/log-out';

const THEME_LABELS: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export interface UserMenuProps {
  user: User;
}

/** The header's user button and the panel it opens: who is logged in, the theme, and the way out. */
export function UserMenu({ user }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const firstActionRef = useRef<HTMLButtonElement>(null);
  const logOut = useLogOut();
  const [theme, setTheme] = useThemePreference();

  const refs = useMemo(() => [toggleRef, panelRef], []);
  const dismiss = useCallback((reason: 'escape' | 'outside') => {
    setOpen(false);
    if (reason === 'escape') toggleRef.current?.focus();
  }, []);
  useDismiss(open, refs, dismiss);

  useEffect(() => {
    if (open) firstActionRef.current?.focus();
  }, [open]);

  return (
    <>
      <HeaderGlobalAction
        ref={toggleRef}
        aria-label={`User menu: ${user.displayName}`}
        aria-expanded={open}
        aria-controls={panelId}
        isActive={open}
        tooltipAlignment="end"
        onClick={() => setOpen((value) => !value)}
      >
        <UserAvatar size={20} />
      </HeaderGlobalAction>
      <HeaderPanel ref={panelRef} expanded={open} addFocusListeners={false} className="courier-user-menu">
        {/* Kept in the DOM so the toggle's aria-controls always points at something. */}
        <section id={panelId} hidden={!open} className="courier-user-menu__body" aria-label="Your account">
          <p className="courier-user-menu__name">{user.displayName}</p>
          <p className="courier-user-menu__username">{user.username}</p>
          <Link to="/profile" className="cds--link courier-user-menu__profile" onClick={() => setOpen(false)}>
            Profile and sessions
          </Link>
          {logOut.isError && (
            <InlineNotification
              kind="error"
              role="alert"
              lowContrast
              hideCloseButton
              title="Logging out failed."
              subtitle={logOut.error.message}
            />
          )}
          <RadioButtonGroup
            legendText="Theme"
            name={`${panelId}-theme`}
            orientation="vertical"
            valueSelected={theme}
            onChange={(value) => setTheme(value as ThemePreference)}
          >
            {THEME_PREFERENCES.map((value) => (
              <RadioButton key={value} id={`${panelId}-theme-${value}`} value={value} labelText={THEME_LABELS[value]} />
            ))}
          </RadioButtonGroup>
          <Button
            ref={firstActionRef}
            kind="secondary"
            size="md"
            renderIcon={Logout}
            disabled={logOut.isPending}
            onClick={() => logOut.mutate()}
          >
            {logOut.isPending ? 'Logging out…' : 'Log out'}
          </Button>
        </section>
      </HeaderPanel>
    </>
  );
}
