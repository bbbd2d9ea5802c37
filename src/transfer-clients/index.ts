/**
 * The transfer-clients port: the only module the SPA imports to move bytes. Nothing here exposes
 * the SDK or the gateway protocol; `testing/` (the fake SDK) is deliberately not exported.
 */
export type {
  FileProgress,
  StartRequest,
  TransferClient,
  TransferClientAvailability,
  TransferClientCapabilities,
  TransferClientEvent,
  TransferClientKind,
  TransferClientStatus,
  UploadSource,
} from './transfer-client';
export { TransferClientError, type TransferError, type TransferErrorCode } from './transfer-error';
export { chooseClient, type ChooseClientInput, type ClientChoice, type ClientOption } from './choose-client';
export {
  createHttpGatewayClient,
  DEFAULT_IN_BROWSER_DOWNLOAD_LIMIT,
  type HttpGatewayClientOptions,
} from './http-gateway/http-gateway-client';
export { checkGateway } from './http-gateway/check-gateway';
// createAsperaSdkClient itself comes from './desktop-client', through import(): see README.md.
export type { AsperaSdkAvailability, AsperaSdkClient, AsperaSdkClientOptions } from './aspera-sdk/aspera-sdk-client';
export type { LocalItem } from './aspera-sdk/native-picking';
export type { SdkState } from './aspera-sdk/sdk-status';
export type { InstallerEntry } from './aspera-sdk/sdk-types';
export { DESKTOP_DOWNLOAD_PAGE } from './aspera-sdk/desktop-download-page';
