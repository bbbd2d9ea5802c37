import { Link, useLocation } from 'react-router';

export function NotFoundRoute() {
  const { pathname } = useLocation();
  return (
    <section className="courier-page" aria-labelledby="not-found-title">
      <title>Page not found · Courier</title>
      <h1 id="not-found-title" className="courier-page__title">
        Page not found
      </h1>
      <p className="courier-page__lead">
        There is no page at <code className="courier-page__path">{pathname}</code>. The link may be old or mistyped.
      </p>
      <p>
        <Link className="cds--link cds--link--lg" to="/files">
          Go to Files
        </Link>
      </p>
    </section>
  );
}
