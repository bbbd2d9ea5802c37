import { Button } from '@carbon/react';
import { Renew } from '@carbon/icons-react';
import { useEffect, useRef } from 'react';
import { ApiError } from '../../lib/api-error';

export interface ErrorFallbackProps {
  error: unknown;
  onRetry: () => void;
  retryLabel?: string;
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'An unexpected error stopped this page. Trying again usually helps; if it does not, reload the page.';
}

/** The content of an error boundary: what happened and a way to try again. */
export function ErrorFallback({ error, onRetry, retryLabel = 'Try again' }: ErrorFallbackProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  return (
    <section className="courier-page courier-error" role="alert" aria-labelledby="courier-error-title">
      <h1 id="courier-error-title" ref={headingRef} tabIndex={-1} className="courier-page__title">
        Something went wrong
      </h1>
      <p className="courier-page__lead">{describe(error)}</p>
      <Button kind="primary" renderIcon={Renew} onClick={onRetry}>
        {retryLabel}
      </Button>
    </section>
  );
}
