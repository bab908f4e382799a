import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { localCredentials, principals } from "@/db/schema";
import { hashPassword, verifyPassword } from "./password";

// Verified against when the email is unknown, so both answers take about as long.
let decoyHash: Promise<string> | undefined;

/** The active local user with this email and password, or null; the same for every kind of mismatch. */
export async function verifyCredentials(db: Database, email: string, password: string): Promise<{ id: string } | null> {
  const [row] = await db
    .select({ id: principals.id, status: principals.status, passwordHash: localCredentials.passwordHash })
    .from(principals)
    .innerJoin(localCredentials, eq(localCredentials.principalId, principals.id))
    .where(sql`lower(${principals.email}) = lower(${email.trim()})`);
  decoyHash ??= hashPassword("decoy password for unknown emails");
  const matches = await verifyPassword(row?.passwordHash ?? (await decoyHash), password);
  if (!row || !matches || row.status !== "active") return null;
  await db.update(principals).set({ lastSignInAt: new Date() }).where(eq(principals.id, row.id));
  return { id: row.id };
}
