import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { expect } from "vitest";

/** One message as the test SMTP server received it: its envelope, and its parsed headers and text. */
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** A real SMTP server on a free local port that keeps every message it receives, parsed. */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((address) => address.text).join(", ") : (mail.to?.text ?? "");
          received.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            envelopeTo: session.envelope.rcptTo.map((address) => address.address),
            from: mail.from?.text ?? "",
            to,
            subject: mail.subject ?? "",
            text: mail.text ?? "",
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The newest mail received for `email`; throws when none arrived. */
    lastMailTo(email: string): ReceivedMail {
      const mail = received.filter((entry) => entry.envelopeTo.includes(email)).at(-1);
      if (!mail) throw new Error(`no mail arrived for ${email}`);
      return mail;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Follows the link of a mail: its token, after checking that the link is `<baseUrl>/<kind>/<token>`. */
export function tokenFromLink(text: string, kind: "invite" | "reset", baseUrl: string): string {
  const link = text.match(/https?:\/\/\S+/g)?.find((candidate) => candidate.includes(`/${kind}/`));
  if (!link) throw new Error(`no /${kind}/ link in:\n${text}`);
  const url = new URL(link);
  expect(url.origin).toBe(baseUrl);
  const match = url.pathname.match(new RegExp(`^/${kind}/([^/]+)$`));
  expect(match).not.toBeNull();
  return match![1]!;
}
