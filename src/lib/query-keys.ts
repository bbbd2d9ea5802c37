/**
 * Query keys more than one feature needs: the files feature reads folders under these, and the
 * transfers feature invalidates them when an upload into the space ends. Keys are hierarchical,
 * so invalidating `spaceFilesKey(id)` refreshes every folder page of that space.
 */
export const spacesKey = ['spaces'] as const;
export const spaceKey = (spaceId: string) => ['spaces', spaceId] as const;
export const spaceFilesKey = (spaceId: string) => ['spaces', spaceId, 'files'] as const;
export const transfersKey = ['transfers'] as const;
/** The logged-in session (`GET /api/session`): the profile refreshes it when the display name changes. */
export const sessionKey = ['session'] as const;
/** File requests (`GET /api/requests`, one request with its submissions under its id). */
export const requestsKey = ['requests'] as const;
export const requestKey = (requestId: string) => ['requests', requestId] as const;
/** What a guest sees of a request (`GET /api/public/requests/:id`). */
export const publicRequestKey = (requestId: string) => ['public-requests', requestId] as const;
/** The caller's share links (`GET /api/shares`), refreshed when one is made from the Files page. */
export const sharesKey = ['shares'] as const;
/** Packages (`GET /api/packages`, one package under its id): refreshed when one is sent, opened or archived. */
export const packagesKey = ['packages'] as const;
export const packageKey = (packageId: string) => ['packages', 'one', packageId] as const;
