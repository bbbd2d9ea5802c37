/**
 * IBM's download page for IBM Aspera for Desktop: the install link offered when the SDK's installer
 * lookup (docs/aspera-sdk.md §11) gives nothing, so a person without Desktop always has a way to get it.
 */
export const DESKTOP_DOWNLOAD_PAGE = 'https://www.ibm.com/products/aspera/downloads';
