import { createServer, type AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { auditEvents, invitations, mailOutbox, principals, roleAssignments } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { builtinRoleId, contextFor, nodeId } from "@/lib/access/test-support";
import { inviteMember } from "@/lib/members/invitations";
import { sendMail, usesOutbox } from "./send";
import { startSmtpServer } from "./testing/smtp-server";

/** The address of a port nothing listens on: a mail server that is down. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}

let connection: DatabaseConnection;
const db = (): Database => connection.db;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let accountId: string;

async function outboxCount(): Promise<number> {
  const [row] = await db().select({ n: sql<number>`count(*)::int` }).from(mailOutbox);
  return row!.n;
}

beforeAll(async () => {
  connection = await createTestDatabase();
  accountId = (await seedDemo(connection.db, { password: "test-password-123" })).accountId;
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
  await connection?.close();
});
beforeEach(() => {
  // The outbox prints what it keeps; the tests read the table instead.
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("sendMail without SMTP_URL", () => {
  it("keeps the mail in the outbox table and sends nothing", async () => {
    vi.stubEnv("SMTP_URL", undefined);
    expect(usesOutbox()).toBe(true);
    const receivedBefore = smtp.received.length;
    await sendMail(db(), { accountId, to: "someone@northwind.example", subject: "Outbox subject", text: "Line one\nhttps://portal.test/invite/abc" });
    const [row] = await db().select().from(mailOutbox).where(sql`${mailOutbox.subject} = 'Outbox subject'`);
    expect(row).toMatchObject({ accountId, recipient: "someone@northwind.example", subject: "Outbox subject", bodyText: "Line one\nhttps://portal.test/invite/abc" });
    expect(smtp.received.length).toBe(receivedBefore);
  });

  it("treats an empty SMTP_URL as unset and keeps mail without an account", async () => {
    vi.stubEnv("SMTP_URL", "");
    expect(usesOutbox()).toBe(true);
    await sendMail(db(), { accountId: null, to: "nobody@example.test", subject: "No account", text: "Body" });
    const [row] = await db().select().from(mailOutbox).where(sql`${mailOutbox.subject} = 'No account'`);
    expect(row).toMatchObject({ accountId: null, recipient: "nobody@example.test", bodyText: "Body" });
  });

  it("writes the outbox row inside the caller's transaction, so a rollback removes it", async () => {
    vi.stubEnv("SMTP_URL", undefined);
    const before = await outboxCount();
    await expect(
      db().transaction(async (tx) => {
        await sendMail(tx, { accountId, to: "rollback@northwind.example", subject: "Rolled back", text: "Body" });
        throw new Error("the caller's change fails");
      }),
    ).rejects.toThrow("the caller's change fails");
    expect(await outboxCount()).toBe(before);
  });
});

describe("sendMail with SMTP_URL", () => {
  it("delivers over SMTP with recipient, subject, sender and text intact, and keeps nothing in the outbox", async () => {
    vi.stubEnv("SMTP_URL", smtp.url);
    vi.stubEnv("MAIL_FROM", "Arbor Test <arbor@mail.test>");
    expect(usesOutbox()).toBe(false);
    const before = await outboxCount();
    const text = ["Grüße aus Köln — ünïcode survives.", "", "Follow: https://portal.test/reset/AbC-123_xyz", "A last line."].join("\n");
    await sendMail(db(), { accountId, to: "Hannah.Weber@adler-logistik.example", subject: "Grüße: Set a new Arbor password", text });
    const mail = smtp.received.at(-1)!;
    expect(mail.envelopeTo).toEqual(["Hannah.Weber@adler-logistik.example"]);
    expect(mail.envelopeFrom).toBe("arbor@mail.test");
    expect(mail.to).toBe("Hannah.Weber@adler-logistik.example");
    expect(mail.from).toBe('"Arbor Test" <arbor@mail.test>');
    expect(mail.subject).toBe("Grüße: Set a new Arbor password");
    expect(mail.text.trimEnd()).toBe(text);
    expect(await outboxCount()).toBe(before);
  });

  it("uses the default sender when MAIL_FROM is unset", async () => {
    vi.stubEnv("SMTP_URL", smtp.url);
    vi.stubEnv("MAIL_FROM", undefined);
    await sendMail(db(), { accountId, to: "default-from@northwind.example", subject: "Default sender", text: "Body" });
    const mail = smtp.received.at(-1)!;
    expect(mail.subject).toBe("Default sender");
    expect(mail.envelopeFrom).toBe("no-reply@arbor.localhost");
  });

  it("reads the environment at every call: SMTP, then outbox, then SMTP again", async () => {
    const receivedBefore = smtp.received.length;
    const outboxBefore = await outboxCount();
    vi.stubEnv("SMTP_URL", smtp.url);
    await sendMail(db(), { accountId, to: "a@northwind.example", subject: "First over SMTP", text: "1" });
    vi.stubEnv("SMTP_URL", undefined);
    await sendMail(db(), { accountId, to: "b@northwind.example", subject: "Then the outbox", text: "2" });
    vi.stubEnv("SMTP_URL", smtp.url);
    await sendMail(db(), { accountId, to: "c@northwind.example", subject: "SMTP again", text: "3" });
    expect(smtp.received.slice(receivedBefore).map((mail) => mail.subject)).toEqual(["First over SMTP", "SMTP again"]);
    expect(await outboxCount()).toBe(outboxBefore + 1);
  });

  it("rejects when the mail server is down, and keeps nothing in the outbox", async () => {
    vi.stubEnv("SMTP_URL", await closedPortUrl());
    const before = await outboxCount();
    await expect(sendMail(db(), { accountId, to: "down@northwind.example", subject: "Never arrives", text: "Body" })).rejects.toThrow();
    expect(await outboxCount()).toBe(before);
  });

  it("rolls back an invitation when its mail cannot be sent: no user, invitation, assignment or audit event", async () => {
    vi.stubEnv("SMTP_URL", await closedPortUrl());
    const counts = async () => {
      const [row] = await db()
        .select({
          principals: sql<number>`(select count(*)::int from ${principals})`,
          invitations: sql<number>`(select count(*)::int from ${invitations})`,
          assignments: sql<number>`(select count(*)::int from ${roleAssignments})`,
          changes: sql<number>`(select count(*)::int from ${auditEvents} where ${auditEvents.action} not like '%.denied')`,
          outbox: sql<number>`(select count(*)::int from ${mailOutbox})`,
        })
        .from(sql`(select 1) as one`);
      return row!;
    };
    const before = await counts();
    const receivedBefore = smtp.received.length;
    const ctx = await contextFor(db(), "emma.schulz@northwind.example");
    const input = { email: "smtp.down@elbe-chemie.example", nodeId: await nodeId(db(), "elbe-chemie"), roleId: await builtinRoleId(db(), "viewer") };
    await expect(inviteMember(ctx, input, { baseUrl: "https://portal.test" })).rejects.toThrow();
    expect(await counts()).toEqual(before);
    expect(smtp.received.length).toBe(receivedBefore);
    const [invited] = await db().select().from(principals).where(sql`lower(${principals.email}) = ${input.email}`);
    expect(invited).toBeUndefined();
  });
});
