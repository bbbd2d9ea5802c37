import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export const SMTP_TEST_USER = 'courier-mailer';
export const SMTP_TEST_PASSWORD = 'smtp-Pa55-n0t-for-logs';

/**
 * A real SMTP server in this process (the `smtp-server` package) that requires a login and keeps
 * what it accepts, parsed by `mailparser`. `refuseNext(n)` answers the next n senders with a
 * temporary 451, as a busy server does; `echoPasswordOnRefusal` makes that answer quote the password
 * the client logged in with, as a careless server might, to prove Courier keeps it out of its logs.
 */
export async function startSmtpTestServer(options: { echoPasswordOnRefusal?: boolean } = {}) {
  const received: ParsedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_TEST_USER && auth.password === SMTP_TEST_PASSWORD) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onMailFrom(_address, _session, callback) {
      if (refusals > 0) {
        refusals -= 1;
        const reason = options.echoPasswordOnRefusal ? `mailbox busy for password ${SMTP_TEST_PASSWORD}` : 'mailbox busy, try later';
        return callback(Object.assign(new Error(reason), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch((err: unknown) => callback(err as Error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    received,
    port,
    url: `smtp://${SMTP_TEST_USER}:${SMTP_TEST_PASSWORD}@127.0.0.1:${port}`,
    refuseNext: (n: number) => {
      refusals = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
