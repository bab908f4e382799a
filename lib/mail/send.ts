import nodemailer, { type Transporter } from "nodemailer";
import type { Database, Transaction } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { readEnvironment } from "@/lib/env";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  accountId: string | null;
}

let transport: { url: string; transporter: Transporter } | undefined;

function smtpTransport(url: string): Transporter {
  if (transport?.url !== url) transport = { url, transporter: nodemailer.createTransport(url) };
  return transport.transporter;
}

/** Whether mail goes to the database outbox (no SMTP_URL) rather than to a mail server. */
export function usesOutbox(): boolean {
  return !readEnvironment().SMTP_URL;
}

/**
 * Sends mail over SMTP when SMTP_URL is set; otherwise keeps it in the outbox table, prints it,
 * and /dev/outbox shows it, so that the demo works with no mail server.
 */
export async function sendMail(db: Database | Transaction, mail: Mail): Promise<void> {
  const env = readEnvironment();
  if (env.SMTP_URL) {
    await smtpTransport(env.SMTP_URL).sendMail({ from: env.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    return;
  }
  await db.insert(mailOutbox).values({ accountId: mail.accountId, recipient: mail.to, subject: mail.subject, bodyText: mail.text });
  console.log(`arbor: mail to ${mail.to} kept in the outbox (no SMTP_URL): ${mail.subject}\n${indent(mail.text)}`);
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
