import { isRouteErrorResponse, useRouteError } from 'react-router';

/**
 * Errors the router catches: mostly a page's code that failed to download (a deploy replaced
 * the chunk, or the network dropped), so reloading is the fix. It lives in the first chunk,
 * hence plain markup with Carbon's classes instead of Carbon components.
 */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : null;
  return (
    <div className="courier-standalone">
      <title>Error · Courier</title>
      <main className="courier-standalone__main">
        <section className="courier-page courier-error" role="alert" aria-labelledby="route-error-title">
          <h1 id="route-error-title" className="courier-page__title">
            Something went wrong
          </h1>
          <p className="courier-page__lead">This page could not be loaded{detail ? ` (${detail})` : ''}. Reloading usually fixes it.</p>
          <button type="button" className="cds--btn cds--btn--primary" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </section>
      </main>
    </div>
  );
}
