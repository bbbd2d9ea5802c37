import { Header, HeaderName, InlineNotification, Theme } from '@carbon/react';
import { Link } from 'react-router';
import { ProductName } from '../../../components/layout/product-name';
import type { SignedOutReason } from '../api/get-session';
import { LoginForm } from './login-form';

const NOTICES: Partial<Record<SignedOutReason, { kind: 'info' | 'warning'; title: string }>> = {
  expired: { kind: 'warning', title: 'Your session expired, please log in again.' },
  'logged-out': { kind: 'info', title: 'You have logged out.' },
};

export interface LoginPageProps {
  reason: SignedOutReason;
}

export function LoginPage({ reason }: LoginPageProps) {
  const notice = NOTICES[reason];
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
          <LoginForm
            notice={
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
            }
          />
        </div>
      </main>
    </div>
  );
}
