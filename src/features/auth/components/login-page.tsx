import { Button, Header, HeaderName, InlineNotification, Theme } from '@carbon/react';
import { Link, useSearchParams } from 'react-router';
import { ProductName } from '../../../components/layout/product-name';
import type { ClientConfig } from '../../../../contract/client-config';
import type { SignedOutReason } from '../api/get-session';
import { useSignInOptions } from '../api/get-sign-in-options';
import { getReturnPath } from '../lib/return-path';
import { LoginForm } from './login-form';

const NOTICES: Partial<Record<SignedOutReason, { kind: 'info' | 'warning'; title: string }>> = {
  expired: { kind: 'warning', title: 'Your session expired, please log in again.' },
  'logged-out': { kind: 'info', title: 'You have logged out.' },
};

/** Why a sign-in through the identity provider came back here (`/login?oidc=…`, docs/oidc.md §1). */
const OIDC_FAILURES: Record<string, (name: string) => string> = {
  unavailable: (name) => `${name} could not be reached. Try again later, or log in with your Courier password.`,
  failed: (name) => `The sign-in with ${name} could not be completed. Please try again.`,
  denied: (name) => `${name} did not sign you in.`,
  disabled: () => 'This account is disabled. Ask an administrator.',
  'no-logout': (name) => `You are logged out of Courier; ${name} does not offer logging out from here.`,
  'bad-return': (name) => `The sign-in with ${name} was asked to return to another site, so it was not started. Please try again.`,
  'unknown-provider': () => 'That identity provider is not offered here. Choose one below.',
};

type Provider = ClientConfig['oidcProviders'][number];

/** The failure an identity provider's sign-in came back with, said in words; undefined when none. */
function useOidcFailure(providers: readonly Provider[]): string | undefined {
  const [params] = useSearchParams();
  const failure = params.get('oidc');
  // With several providers the portal names the one that failed (docs/oidc.md §6).
  const named = providers.find((p) => p.id === params.get('provider')) ?? (providers.length === 1 ? providers[0] : undefined);
  return failure ? OIDC_FAILURES[failure]?.(named?.name ?? 'The identity provider') : undefined;
}

function SignInWithProviders({ providers, loggedOut, alone }: { providers: readonly Provider[]; loggedOut: boolean; alone: boolean }) {
  const [params] = useSearchParams();
  // A deep link survives the trip through the provider: the portal checks it again (contract/return-path.ts).
  const next = params.get('next');
  const returnTo = next ? getReturnPath(next) : null;
  const only = providers.length === 1 ? providers[0] : undefined;
  return (
    <div className="courier-login__provider">
      {loggedOut ? (
        // RP-initiated logout (docs/oidc.md §3): Courier's session is over, the provider's may not be.
        <p>
          <a href="/api/auth/oidc/logout">Also log out of {only ? only.name : 'your identity provider'}</a>
        </p>
      ) : null}
      {alone ? null : <p className="courier-login__or">or</p>}
      {/* Full-page navigations: the portal redirects to the provider and back. */}
      {providers.map((provider) => (
        <Button
          key={provider.id}
          kind="tertiary"
          href={returnTo ? `${provider.startUrl}?${new URLSearchParams({ returnTo }).toString()}` : provider.startUrl}
          className="courier-login__provider-button"
        >
          Sign in with {provider.name}
        </Button>
      ))}
    </div>
  );
}

export interface LoginPageProps {
  reason: SignedOutReason;
}

export function LoginPage({ reason }: LoginPageProps) {
  const notice = NOTICES[reason];
  const options = useSignInOptions().data;
  const providers = options?.oidcProviders ?? [];
  const oidcFailure = useOidcFailure(providers);
  const [params] = useSearchParams();
  // With the form off (docs/oidc.md §5) only the provider's button is shown; admins find the form
  // at /login?local=1. A provider that could not be reached brings the form back too.
  const formHidden =
    providers.length > 0 && options?.localLoginForm === false && params.get('local') !== '1' && params.get('oidc') !== 'unavailable';
  const shownNotice = oidcFailure ? (
    <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title={oidcFailure} className="courier-login__notice" />
  ) : (
    notice && (
      <InlineNotification
        kind={notice.kind}
        role="status"
        lowContrast
        hideCloseButton
        title={notice.title}
        className="courier-login__notice"
      />
    )
  );
  return (
    <div className="courier-standalone">
      <title>Log in · Courier</title>
      <Theme theme="g100">
        <Header aria-label="Courier">
          <HeaderName as={Link} to="/login" prefix="">
            <ProductName />
          </HeaderName>
        </Header>
      </Theme>
      <main className="courier-standalone__main courier-login">
        <div className="courier-login__panel">
          {formHidden ? (
            <>
              <h1 className="courier-login__title">Log in to Courier</h1>
              {shownNotice}
            </>
          ) : (
            <LoginForm notice={shownNotice} />
          )}
          {providers.length > 0 ? (
            <SignInWithProviders providers={providers} loggedOut={reason === 'logged-out'} alone={formHidden} />
          ) : null}
        </div>
      </main>
    </div>
  );
}
