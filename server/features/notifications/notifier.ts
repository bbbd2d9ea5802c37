/**
 * What other features tell people: one notice may go to a user's in-app list (the bell), to an
 * email address, or both. Sending never blocks the caller's request: `notify` only records the
 * notice (a queue in the database); delivery happens afterwards, with retries.
 */
export interface Notice {
  /** The user who sees it in the app (the bell); absent for outsiders. */
  userId?: string;
  /** Where the email goes; absent or null: no email. */
  email?: string | null;
  /** What happened, for filtering and display: `share.downloaded`, `request.submitted`, … */
  kind: string;
  /** One line in the recipient's words: "Ana downloaded report.pdf". */
  subject: string;
  /** Plain-text body (the email's text part and the in-app detail). Never a password or token. */
  text: string;
  /** Where the recipient acts on it: an absolute URL for email, or a path in the SPA. */
  link?: string;
}

export interface Notifier {
  notify(notice: Notice): Promise<void>;
}
