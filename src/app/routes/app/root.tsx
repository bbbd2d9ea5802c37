import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Outlet, useLocation } from 'react-router';
import { ErrorBoundary } from '../../../components/errors/error-boundary';
import { ErrorFallback } from '../../../components/errors/error-fallback';
import { AppShell } from '../../../components/layout/app-shell';
import { BootScreen } from '../../../components/layout/boot-screen';
import { RequireSession } from '../../../features/auth/components/require-session';
import { UserMenu } from '../../../features/auth/components/user-menu';
import { NotificationsBell } from '../../../features/notifications/components/notifications-bell';
import { TransferEngineProvider } from '../../../features/transfers/engine/transfer-engine-provider';
import { KeepSession } from '../../keep-session';
import { PasswordChangeRequired } from '../../../features/profile/components/password-change-required';
import { transferRunner } from '../../transfer-runner';

// Toasts and the progress live region: needed on every page, but not to draw the first one, so
// they arrive in their own chunk.
const TransferActivity = lazy(() =>
  import('../../../features/transfers/components/transfer-activity').then((m) => ({
    default: m.TransferActivity,
  })),
);

// The tray on every page: also its own chunk, it draws nothing until a transfer exists.
const TransferTray = lazy(() =>
  import('../../../features/transfers/components/transfer-tray').then((m) => ({
    default: m.TransferTray,
  })),
);

/**
 * Everything behind the login: the guard, the transfer engine, the shell, and an error boundary
 * around each page.
 */
export function AppRoot() {
  const { pathname } = useLocation();
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary
          onReset={reset}
          fallback={({ error, reset: retry }) => (
            // No shell yet: what failed is finding out who is logged in.
            <main>
              <ErrorFallback error={error} onRetry={retry} />
            </main>
          )}
        >
          <RequireSession pending={<BootScreen />}>
            {(session) =>
              session.passwordChangeRequired ? (
                <PasswordChangeRequired actions={<UserMenu user={session.user} />} />
              ) : (
                <TransferEngineProvider runner={transferRunner}>
                  <AppShell
                    actions={
                      <>
                        <NotificationsBell />
                        <UserMenu user={session.user} />
                      </>
                    }
                    isAdmin={session.user.isAdmin}
                    tray={
                      <Suspense fallback={null}>
                        <TransferTray />
                      </Suspense>
                    }
                  >
                    <ErrorBoundary
                      onReset={reset}
                      resetKey={pathname}
                      fallback={({ error, reset: retry }) => <ErrorFallback error={error} onRetry={retry} />}
                    >
                      <Outlet />
                    </ErrorBoundary>
                    <Suspense fallback={null}>
                      <TransferActivity />
                    </Suspense>
                    <KeepSession idleTimeoutSeconds={session.idleTimeoutSeconds} userId={session.user.id} />
                  </AppShell>
                </TransferEngineProvider>
              )
            }
          </RequireSession>
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}
