/**
 * The `/ops/transfers` polling loop of scenario S7 (docs/node-api.md §5, ascli `read_with_paging`): read
 * pages from the last token and stop when a page is empty, when there is no `next` link, or when
 * the next token equals the one just used. The token to keep is the last one that moved forward,
 * so the next poll returns only newer activity.
 */
import type { ListTransfersOptions, NodeTransfer, TransferPage } from './types';

// A node that hands out a fresh token with every page would otherwise keep one poll going forever.
export const DEFAULT_MAX_PAGES = 50;

export type FollowOptions = Omit<ListTransfersOptions, 'iterationToken'> & { maxPages?: number };

export interface FollowResult {
  /** In node order (oldest first); a transfer that changed between pages appears again, later wins. */
  transfers: NodeTransfer[];
  /** Keep this and pass it to the next call. Null only if the node never gave a token. */
  lastToken: string | null;
  /** Why the loop stopped: `max_pages` means more may be waiting right now. */
  stoppedBy: 'empty' | 'no_next' | 'unchanged_token' | 'max_pages';
}

export async function followTransferPages(
  list: (options: ListTransfersOptions) => Promise<TransferPage>,
  lastToken: string | null,
  { maxPages = DEFAULT_MAX_PAGES, ...options }: FollowOptions = {},
): Promise<FollowResult> {
  const transfers: NodeTransfer[] = [];
  let token = lastToken;
  for (let page = 0; page < maxPages; page++) {
    const { transfers: items, nextIterationToken } = await list({ ...options, iterationToken: token });
    if (items.length === 0) return { transfers, lastToken: token, stoppedBy: 'empty' };
    transfers.push(...items);
    if (nextIterationToken === null) return { transfers, lastToken: token, stoppedBy: 'no_next' };
    if (nextIterationToken === token) return { transfers, lastToken: token, stoppedBy: 'unchanged_token' };
    token = nextIterationToken;
  }
  return { transfers, lastToken: token, stoppedBy: 'max_pages' };
}
