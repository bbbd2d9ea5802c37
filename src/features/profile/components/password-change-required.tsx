import { Header, HeaderGlobalBar, HeaderName, Theme } from '@carbon/react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ProductName } from '../../../components/layout/product-name';
import { sessionKey } from '../../../lib/query-keys';
import { PasswordForm } from './profile-page';

/**
 * What a user whose password an admin set (a one-time password) sees after logging in, and
 * nothing else: the portal refuses every other request until they choose their own.
 */
export function PasswordChangeRequired({ actions }: { actions: ReactNode }) {
  const queryClient = useQueryClient();
  return (
    <div className="courier-standalone">
      <title>Choose a new password · Courier</title>
      <Theme theme="g100">
        <Header aria-label="Courier">
          <HeaderName href="/files" prefix="">
            <ProductName />
          </HeaderName>
          <HeaderGlobalBar>{actions}</HeaderGlobalBar>
        </Header>
      </Theme>
      <main className="courier-standalone__main courier-login">
        <div className="courier-login__panel">
          <h1 className="courier-page__title">Choose a new password</h1>
          <PasswordForm
            intro="An administrator set a one-time password for you. Enter it as the current password, then choose your own to continue."
            // The session now says no change is required: the app opens.
            onChanged={() => void queryClient.invalidateQueries({ queryKey: sessionKey })}
          />
        </div>
      </main>
    </div>
  );
}
