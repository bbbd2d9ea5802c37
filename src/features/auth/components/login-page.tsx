import { Button, Header, HeaderName, InlineNotification, Theme } from '@carbon/react';
import { Link, useSearchParams } from 'react-router';
import { ProductName } from '../../../components/layout/product-name';
import type { SignedOutReason } from '../api/get-session';
import { useSignInOptions } from '../api/get-sign-in-options';
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
};

/** The failure the identity provider's sign-in came back with, said in words; undefined when none. */
function useOidcFailure(name: string | null): string | undefined {
  const [params] = useSearchParams();
  const failure = params.get('oidc');
  return failure ? OIDC_FAILURES[failure]?.(name ?? 'The identity provider') : undefined;
}

function SignInWithProvider({ name, loggedOut, alone }: { name: string; loggedOut: boolean; alone: boolean }) {
  return (
    <div className="courier-login__provider">
      {loggedOut ? (
        // RP-initiated logout (docs/oidc.md §3): Courier's session is over, the provider's may not be.
        <p>
          <a href="/api/auth/oidc/logout">Also log out of {name}</a>
        </p>
      ) : null}
      {alone ? null : <p className="courier-login__or">or</p>}
      {/* A full-page navigation: the portal redirects to the provider and back. */}
      <Button kind="tertiary" href="/api/auth/oidc/start" className="courier-login__provider-button">
        Sign in with {name}
      </Button>
    </div>
  );
}

export interface LoginPageProps {
  reason: SignedOutReason;
}

export function LoginPage({ reason }: LoginPageProps) {
  const notice = NOTICES[reason];
  const options = useSignInOptions().data;
  const providerName = options?.oidcName ?? null;
  const oidcFailure = useOidcFailure(providerName);
  const [params] = useSearchParams();
  // With the form off (docs/oidc.md §5) only the provider's button is shown; admins find the form
  // at /login?local=1. A provider that could not be reached brings the form back too.
  const formHidden =
    providerName !== null && options?.localLoginForm === false && params.get('local') !== '1' && params.get('oidc') !== 'unavailable';
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
          {providerName ? <SignInWithProvider name={providerName} loggedOut={reason === 'logged-out'} alone={formHidden} /> : null}
        </div>
      </main>
    </div>
  );
}
