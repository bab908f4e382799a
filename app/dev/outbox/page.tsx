import { desc } from "drizzle-orm";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDatabase } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { usesOutbox } from "@/lib/mail/send";

export const metadata: Metadata = { title: "Outbox" };

// Only while mail is kept in the database (no SMTP_URL): the demo's stand-in for a mailbox. With a
// mail server configured this page does not exist.
export default async function OutboxPage() {
  if (!usesOutbox()) notFound();
  const db = await getDatabase();
  const mails = await db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(50);
  return (
    <main className="mx-auto max-w-3xl space-y-4 p-6">
      <header>
        <h1 className="text-2xl font-semibold">Outbox</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No mail server is configured (SMTP_URL), so Arbor keeps its mail here. Newest first; the last 50.
        </p>
      </header>
      {mails.length === 0 ? <p>No mail yet.</p> : null}
      <ol className="space-y-3">
        {mails.map((mail) => (
          <li key={mail.id} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <article aria-label={`Mail to ${mail.recipient}: ${mail.subject}`}>
              <h2 className="font-semibold">{mail.subject}</h2>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                To {mail.recipient} · {mail.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC
              </p>
              <pre className="mt-2 whitespace-pre-wrap font-sans text-sm">{linkify(mail.bodyText)}</pre>
            </article>
          </li>
        ))}
      </ol>
    </main>
  );
}

function linkify(text: string): React.ReactNode[] {
  return text.split(/(https?:\/\/\S+)/g).map((part, index) =>
    /^https?:\/\//.test(part) ? (
      <a key={index} href={part} className="text-brand-700 underline dark:text-brand-500">
        {part}
      </a>
    ) : (
      part
    ),
  );
}
