// Without zod: the SPA's profile page imports these (see contract/share-limits.ts for why).

/** The lifetimes the profile page offers; the API takes any whole number of days up to a year. */
export const TOKEN_EXPIRY_DAYS = [7, 30, 90, 365] as const;
export const MAX_TOKEN_EXPIRY_DAYS = 365;
