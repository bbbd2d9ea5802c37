import { createBrowserRouter, Navigate } from 'react-router';
import { BootScreen } from '../components/layout/boot-screen';
import { RouteError } from './routes/route-error';

// Each page is its own chunk: the login page never downloads the shell, and the first chunk
// holds only React, the router, TanStack Query and the API client.
export const router = createBrowserRouter([
  {
    path: '/login',
    lazy: () => import('./routes/login').then((m) => ({ Component: m.LoginRoute })),
    HydrateFallback: BootScreen,
    ErrorBoundary: RouteError,
  },
  {
    // A file request's guest page: no session, no shell (docs/architecture.md §4.1).
    path: '/r/:requestId',
    lazy: () => import('./routes/public/request').then((m) => ({ Component: m.GuestRequestRoute })),
    HydrateFallback: BootScreen,
    ErrorBoundary: RouteError,
  },
  {
    // A share link's public page: outside the login guard, its own chunk (docs/architecture.md §4.1).
    path: '/s/:linkId',
    lazy: () => import('./routes/public/share').then((m) => ({ Component: m.PublicShareRoute })),
    HydrateFallback: BootScreen,
    ErrorBoundary: RouteError,
  },
  {
    // An external recipient's package, through their personal link (docs/packages.md §7).
    path: '/p/:link',
    lazy: () => import('./routes/public/package').then((m) => ({ Component: m.PublicPackageRoute })),
    HydrateFallback: BootScreen,
    ErrorBoundary: RouteError,
  },
  {
    path: '/',
    lazy: () => import('./routes/app/root').then((m) => ({ Component: m.AppRoot })),
    HydrateFallback: BootScreen,
    ErrorBoundary: RouteError,
    children: [
      { index: true, element: <Navigate to="/files" replace /> },
      {
        path: 'files/*',
        lazy: () => import('./routes/app/files').then((m) => ({ Component: m.FilesRoute })),
      },
      {
        path: 'transfers/*',
        lazy: () => import('./routes/app/transfers').then((m) => ({ Component: m.TransfersRoute })),
      },
      {
        // The admin console: one guard and one sub-navigation (routes/app/admin.tsx) around each page.
        path: 'admin',
        lazy: () => import('./routes/app/admin').then((m) => ({ Component: m.AdminRoute })),
        children: [
          { index: true, element: <Navigate to="/admin/users" replace /> },
          { path: 'users', lazy: () => import('./routes/app/admin').then((m) => ({ Component: m.AdminUsersRoute })) },
          { path: 'groups', lazy: () => import('./routes/app/admin').then((m) => ({ Component: m.AdminGroupsRoute })) },
          { path: 'spaces', lazy: () => import('./routes/app/admin-spaces').then((m) => ({ Component: m.AdminSpacesRoute })) },
          { path: 'nodes', lazy: () => import('./routes/app/admin-nodes').then((m) => ({ Component: m.AdminNodesRoute })) },
          { path: 'audit', lazy: () => import('./routes/app/admin-activity').then((m) => ({ Component: m.AdminAuditRoute })) },
          { path: 'transfers', lazy: () => import('./routes/app/admin-activity').then((m) => ({ Component: m.AdminTransfersRoute })) },
          { path: 'mail', lazy: () => import('./routes/app/admin-activity').then((m) => ({ Component: m.AdminMailRoute })) },
          { path: 'settings', lazy: () => import('./routes/app/admin-activity').then((m) => ({ Component: m.AdminSettingsRoute })) },
        ],
      },
      {
        // `/requests/<id>` opens that request's submissions (the requester's notice links there).
        path: 'requests/:requestId?',
        lazy: () => import('./routes/app/requests').then((m) => ({ Component: m.RequestsRoute })),
      },
      {
        // The API reference (docs/api.md §7), linked from the profile's API tokens.
        path: 'api-docs',
        lazy: () => import('./routes/app/api-docs').then((m) => ({ Component: m.ApiDocsRoute })),
      },
      {
        path: 'send',
        lazy: () => import('./routes/app/packages').then((m) => ({ Component: m.SendRoute })),
      },
      {
        path: 'inbox',
        lazy: () => import('./routes/app/packages').then((m) => ({ Component: m.InboxRoute })),
      },
      {
        path: 'sent',
        lazy: () => import('./routes/app/packages').then((m) => ({ Component: m.SentRoute })),
      },
      {
        // A package (the recipients' notice links here).
        path: 'packages/:packageId',
        lazy: () => import('./routes/app/packages').then((m) => ({ Component: m.PackageRoute })),
      },
      {
        path: 'links',
        lazy: () => import('./routes/app/links').then((m) => ({ Component: m.LinksRoute })),
      },
      {
        path: 'profile',
        lazy: () => import('./routes/app/profile').then((m) => ({ Component: m.ProfileRoute })),
      },
      {
        path: '*',
        lazy: () => import('./routes/not-found').then((m) => ({ Component: m.NotFoundRoute })),
      },
    ],
  },
]);
