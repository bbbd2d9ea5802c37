import type { ApiErrorCode } from '../../../lib/api-error';

const WHY: Partial<Record<ApiErrorCode, { title: string; text: string }>> = {
  SHARE_EXPIRED: { title: 'This link has expired', text: 'Ask the person who sent it for a new one.' },
  SHARE_REVOKED: { title: 'This link was revoked', text: 'The person who shared it has withdrawn it.' },
  SHARE_USED_UP: { title: 'This link has been used up', text: 'It has reached the number of downloads it allowed.' },
  SHARE_UNAVAILABLE: {
    title: 'This link no longer works',
    text: 'The person who shared it no longer has access to these files.',
  },
  NOT_FOUND: { title: 'This link does not exist', text: 'Check that the whole address was copied.' },
};

/** A link that cannot be used: which way it ended, nothing of what it shared. */
export function PublicShareGone({ code, message }: { code: ApiErrorCode; message: string }) {
  const why = WHY[code] ?? { title: 'This link cannot be opened', text: message };
  return (
    <div className="courier-public-share__gone" data-testid="share-gone" data-code={code}>
      <h1 className="courier-page__title">{why.title}</h1>
      <p>{why.text}</p>
    </div>
  );
}
