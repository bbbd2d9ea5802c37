import { Link, NavLink, Outlet } from 'react-router';
import { GroupsPage } from '../../../features/admin-people/components/groups-page';
import { UsersPage } from '../../../features/admin-people/components/users-page';
import { useSession } from '../../../features/auth/api/get-session';

/**
 * The admin console's pages, in the order of the sub-navigation: one line per page. A page is
 * listed only once its route exists in src/app/router.tsx.
 */
const ADMIN_PAGES: ReadonlyArray<{ to: string; label: string }> = [
  { to: '/admin/users', label: 'Users' },
  { to: '/admin/groups', label: 'Groups' },
  { to: '/admin/spaces', label: 'Spaces' },
  { to: '/admin/nodes', label: 'Nodes' },
  { to: '/admin/audit', label: 'Audit log' },
  { to: '/admin/transfers', label: 'Transfers' },
  { to: '/admin/mail', label: 'Mail' },
  { to: '/admin/settings', label: 'Settings' },
];

function useCurrentUser() {
  const session = useSession();
  return session.data?.status === 'signed-in' ? session.data.session.user : null;
}

/** What a non-admin sees at /admin/...: said plainly, not a blank page or a redirect. */
function NotAllowed() {
  return (
    <section className="courier-page" aria-labelledby="not-allowed-title">
      <title>Not allowed · Courier</title>
      <h1 id="not-allowed-title" className="courier-page__title">
        Not allowed
      </h1>
      <p className="courier-page__lead">The admin pages are for administrators. Ask an administrator if you need something changed.</p>
      <p>
        <Link className="cds--link cds--link--lg" to="/files">
          Go to Files
        </Link>
      </p>
    </section>
  );
}

/** /admin: the guard and the sub-navigation around each admin page. */
export function AdminRoute() {
  const user = useCurrentUser();
  // RequireSession above has the session already; a non-admin gets the page that says so.
  if (!user?.isAdmin) return <NotAllowed />;
  return (
    <div className="courier-admin">
      <nav className="courier-admin__nav" aria-label="Admin">
        <ul>
          {ADMIN_PAGES.map((page) => (
            <li key={page.to}>
              <NavLink className="courier-admin__link" to={page.to}>
                {page.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}

export function AdminUsersRoute() {
  const user = useCurrentUser();
  return user ? <UsersPage currentUserId={user.id} /> : null;
}

export function AdminGroupsRoute() {
  return <GroupsPage />;
}
