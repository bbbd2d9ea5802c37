/** What went wrong, in the portal's own words when it gave some (an `ApiError` is an `Error`). */
export function errorMessage(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'Something went wrong. Try again.';
}
