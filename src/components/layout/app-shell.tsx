import {
  Header,
  HeaderGlobalBar,
  HeaderMenuButton,
  HeaderName,
  SideNav,
  SideNavItems,
  SideNavLink,
  SkipToContent,
  Theme,
} from '@carbon/react';
import { DataShare, DocumentImport, Email, Folder, Link as LinkIcon, Send, SendAlt, UserAdmin } from '@carbon/icons-react';
import { useEffect, useRef, useState, type ComponentType, type ReactNode, type RefObject } from 'react';
import { Link, useLocation, useMatch } from 'react-router';
import { useMediaQuery } from '../../hooks/use-media-query';
import { ProductName } from './product-name';

interface NavItem {
  to: string;
  label: string;
  icon: ComponentType;
}

const NAV_ITEMS: readonly NavItem[] = [
  { to: '/files', label: 'Files', icon: Folder },
  { to: '/transfers', label: 'Transfers', icon: DataShare },
  { to: '/send', label: 'Send', icon: Send },
  { to: '/inbox', label: 'Inbox', icon: Email },
  { to: '/sent', label: 'Sent', icon: SendAlt },
  { to: '/links', label: 'My links', icon: LinkIcon },
  { to: '/requests', label: 'Requests', icon: DocumentImport },
];

/** Shown to admins only; the server refuses the pages and their API to anyone else either way. */
const ADMIN_NAV_ITEM: NavItem = { to: '/admin', label: 'Admin', icon: UserAdmin };

function NavLink({ item, onNavigate }: { item: NavItem; onNavigate: () => void }) {
  const active = useMatch({ path: item.to, end: false }) !== null;
  return (
    <SideNavLink
      as={Link}
      to={item.to}
      renderIcon={item.icon}
      isActive={active}
      aria-current={active ? 'page' : undefined}
      // Carbon takes a link out of the tab order whenever the nav is not "expanded", which at
      // desktop width, where it is pinned open, leaves the pages unreachable by keyboard. When the
      // nav is folded away on small screens, inert (below) already takes the links out.
      tabIndex={0}
      onClick={onNavigate}
    >
      {item.label}
    </SideNavLink>
  );
}

/**
 * After a client-side navigation nothing tells a screen reader the page changed, and focus stays
 * on the link that was used: move focus to the new page's heading, as a page load would.
 */
function useFocusHeadingOnNavigate(main: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = main.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
    }
  }, [pathname, main]);
}

export interface AppShellProps {
  /** Header actions on the right, e.g. the user menu. */
  actions: ReactNode;
  /** Whether the user is an admin: adds "Admin" to the side navigation. */
  isAdmin?: boolean;
  /** Fixed to the page's corner outside the main landmark, e.g. the transfer tray. */
  tray?: ReactNode;
  children: ReactNode;
}

export function AppShell({ actions, isAdmin = false, tray, children }: AppShellProps) {
  const [navOpen, setNavOpen] = useState(false);
  // Carbon's lg breakpoint (66rem): from there on the side navigation is always shown.
  const navPinned = useMediaQuery('(min-width: 66rem)');
  const mainRef = useRef<HTMLElement>(null);
  useFocusHeadingOnNavigate(mainRef);
  const closeNav = () => setNavOpen(false);

  return (
    <div className="courier-shell">
      {/* A dark header over a light page, as Carbon's UI shell is usually drawn. */}
      <Theme theme="g100">
        <Header aria-label="Courier">
          <SkipToContent href="#main-content" />
          <HeaderMenuButton
            aria-label={navOpen ? 'Close navigation' : 'Open navigation'}
            aria-expanded={navOpen}
            aria-controls="courier-side-nav"
            isActive={navOpen}
            onClick={() => setNavOpen((open) => !open)}
          />
          {/* No prefix: Carbon's default one is "IBM", and Courier is not an IBM product. */}
          <HeaderName as={Link} to="/files" prefix="">
            <ProductName />
          </HeaderName>
          <HeaderGlobalBar>{actions}</HeaderGlobalBar>
        </Header>
      </Theme>
      <SideNav
        id="courier-side-nav"
        aria-label="Main"
        expanded={navOpen}
        onOverlayClick={closeNav}
        onSideNavBlur={closeNav}
        href="#main-content"
        // Folded away on small screens, its links are only out of the tab order; inert also
        // takes them out of what screen readers browse.
        inert={!navPinned && !navOpen}
      >
        <SideNavItems>
          {(isAdmin ? [...NAV_ITEMS, ADMIN_NAV_ITEM] : NAV_ITEMS).map((item) => (
            <NavLink key={item.to} item={item} onNavigate={closeNav} />
          ))}
        </SideNavItems>
      </SideNav>
      <main id="main-content" ref={mainRef} tabIndex={-1} className="courier-shell__main">
        {children}
      </main>
      {tray}
    </div>
  );
}
