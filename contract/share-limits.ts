// Share links' limits, without zod: the SPA's dialogs import these, and a module that builds zod
// schemas makes zod probe for eval, which the portal's CSP reports as a violation.

// Items one link may name; a folder counts as one whatever it holds.
export const MAX_SHARE_PATHS = 100;
export const MAX_SHARE_NOTE_CHARS = 2000;
export const MIN_SHARE_PASSWORD_CHARS = 4;
// Addresses one link may be mailed to when it is made: a few people, not a mailing list.
export const MAX_SHARE_RECIPIENTS = 20;
