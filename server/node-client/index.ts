/** The Node API client's public surface (docs/architecture.md §2: server/ reaches nodes only through it). */
export { createNodeClient, type NodeClient } from './node-client';
export { NodeApiError, type NodeApiErrorKind } from './node-api-error';
export { pingNode } from './ping';
export type { FollowOptions, FollowResult } from './transfer-paging';
export {
  bytesExpected,
  type BrowseEntry,
  type BrowseResult,
  type BrowseSort,
  type ItemError,
  type ListTransfersOptions,
  type NodeConnection,
  type NodeInfo,
  type NodeTransfer,
  type NodeTransferStatus,
  type PathResult,
  type RenameResult,
  type SetupResult,
  type TransferPage,
  type TransferPath,
  type TransferRequest,
  type TransferSpec,
  type TransferView,
} from './types';
