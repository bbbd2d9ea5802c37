import { InlineNotification, Search, Tag } from '@carbon/react';
import { useDeferredValue, useMemo, useState } from 'react';
import { useApiDocument } from '../api/get-api-document';
import { filterApiGroups, readApiDocument, type ApiOperation } from '../lib/read-api-document';

const ACCESS: Record<string, { label: string; type: 'green' | 'blue' | 'purple' | 'red' | 'gray' }> = {
  public: { label: 'No login', type: 'green' },
  read: { label: 'Token scope: read', type: 'blue' },
  transfer: { label: 'Token scope: transfer', type: 'purple' },
  admin: { label: 'Token scope: admin', type: 'red' },
  session: { label: 'Session only (no token)', type: 'gray' },
};

const anchorOf = (operation: ApiOperation) => `op-${operation.method}-${operation.path}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');

function Operation({ operation }: { operation: ApiOperation }) {
  const access = ACCESS[operation.access] ?? { label: operation.access, type: 'gray' as const };
  const titleId = anchorOf(operation);
  return (
    <article className="courier-api-docs__operation" aria-labelledby={titleId}>
      <h3 id={titleId} className="courier-api-docs__signature">
        <span className={`courier-api-docs__method courier-api-docs__method--${operation.method.toLowerCase()}`}>{operation.method}</span>{' '}
        <code>{operation.path}</code>
      </h3>
      <p>{operation.summary}</p>
      <Tag type={access.type} size="sm">
        {access.label}
      </Tag>
      {operation.parameters.length > 0 ? (
        <>
          <h4>Parameters</h4>
          <ul className="courier-api-docs__list">
            {operation.parameters.map((p) => (
              <li key={`${p.where}-${p.name}`}>
                <code>{p.name}</code> ({p.where}
                {p.required ? ', required' : ''}): <code>{p.type}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {operation.body ? (
        <>
          <h4>Request body (JSON)</h4>
          <pre className="courier-api-docs__type">{operation.body}</pre>
        </>
      ) : null}
      <h4>Responses</h4>
      <dl className="courier-api-docs__responses">
        {operation.responses.map((r) => (
          <div key={r.status}>
            <dt>{r.status === 'default' ? 'Error' : r.status}</dt>
            <dd>
              {r.description}
              {r.contentType && !r.type ? ` (${r.contentType})` : ''}
              {r.type ? <pre className="courier-api-docs__type">{r.type}</pre> : null}
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}

/**
 * The portal API for people (docs/api.md §7): every route of /api/openapi.json with its method,
 * summary, token scope, parameters, body and responses, rendered here rather than by a CDN's viewer.
 */
export function ApiReferencePage() {
  const document = useApiDocument();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const groups = useMemo(() => (document.data ? readApiDocument(document.data) : []), [document.data]);
  const shown = useMemo(() => filterApiGroups(groups, deferred), [groups, deferred]);
  const count = shown.reduce((n, g) => n + g.operations.length, 0);
  return (
    <section className="courier-page courier-api-docs" aria-labelledby="api-docs-title">
      <title>API reference · Courier</title>
      <h1 id="api-docs-title" className="courier-page__title">
        API reference
      </h1>
      <p>
        Scripts call these routes with a personal API token (Profile → API tokens) as <code>Authorization: Bearer courier_pat_…</code>,
        within the token's scopes, or with the session cookie and its <code>x-csrf-token</code> header. Errors answer{' '}
        <code>{'{ code, message }'}</code>. The same description, for tools: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI
        3.1).
      </p>
      {document.isPending ? <p>Loading the API description…</p> : null}
      {document.isError ? (
        <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="The API description could not be loaded." />
      ) : null}
      {document.data ? (
        <>
          <Search
            id="api-docs-filter"
            labelText="Filter routes"
            placeholder="Filter by method, path or words, e.g. post transfers"
            size="md"
            value={query}
            onChange={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
          <p role="status" className="courier-api-docs__count">
            {count} {count === 1 ? 'route' : 'routes'}
            {deferred.trim() ? ` match “${deferred.trim()}”` : ''}
          </p>
          {shown.map((group) => (
            <section key={group.name} className="courier-api-docs__group" aria-labelledby={`api-group-${group.name}`}>
              <h2 id={`api-group-${group.name}`}>/api/{group.name}</h2>
              {group.operations.map((operation) => (
                <Operation key={operation.id} operation={operation} />
              ))}
            </section>
          ))}
        </>
      ) : null}
    </section>
  );
}
