import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { invitations, nodeCapabilities, nodes, principals, roles } from "@/db/schema";
import { insertAuditEvent } from "@/lib/audit/record";
import { newLinkToken } from "@/lib/auth/tokens";
import { CAPABILITIES, childPath } from "@/lib/authz";
import { DomainError } from "@/lib/errors";
import { INVITATION_LIFETIME_MS } from "@/lib/members/invitations";
import { slugify } from "@/lib/tenants/slug";
import { parseInput } from "@/lib/validation";

export const bootstrapInput = z.object({
  email: z.email("Not a valid email address.").transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1, "Enter a name.").max(200),
  account: z.string().trim().min(1).max(200).default("Arbor"),
});

/**
 * Starts an empty database: the first account, with every capability, and its first Owner, invited
 * through a single-use link (7 days) where they set their password and enrol 2FA.
 */
export async function bootstrapAccount(db: Database, raw: unknown, now = new Date()): Promise<{ accountId: string; principalId: string; token: string }> {
  const input = parseInput(bootstrapInput, raw);
  const slug = slugify(input.account) || "account";
  const { token, hash } = newLinkToken();
  return db.transaction(async (tx) => {
    // Serialises two bootstraps at once: the second sees the first's account.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('arbor.bootstrap'))`);
    const [existing] = await tx.select({ id: nodes.id }).from(nodes).limit(1);
    if (existing) throw new DomainError("conflict", "The database already has an account: bootstrap only starts an empty one.");
    const accountId = crypto.randomUUID();
    await tx.insert(nodes).values({ id: accountId, accountId, kind: "account", name: input.account, slug, path: childPath(null, accountId), depth: 0 });
    await tx.insert(nodeCapabilities).values(CAPABILITIES.map((capability) => ({ accountId, nodeId: accountId, capability })));
    const [owner] = await tx
      .insert(principals)
      .values({ accountId, homeNodeId: accountId, kind: "user", email: input.email, name: input.name, status: "invited" })
      .returning({ id: principals.id });
    const [ownerRole] = await tx.select({ id: roles.id }).from(roles).where(sql`${roles.accountId} is null and ${roles.key} = 'owner'`);
    if (!ownerRole) throw new DomainError("internal", "Built-in roles are missing: run migrate first.");
    await tx.insert(invitations).values({
      accountId,
      nodeId: accountId,
      roleId: ownerRole.id,
      principalId: owner!.id,
      email: input.email,
      tokenHash: hash,
      expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
    });
    await insertAuditEvent(tx, {
      accountId,
      actorId: null,
      actingAs: "operator",
      nodeId: accountId,
      action: "account.bootstrap",
      targetType: "principal",
      targetId: owner!.id,
      after: { account: input.account, owner: input.email },
      address: null,
      userAgent: "arbor cli",
    });
    return { accountId, principalId: owner!.id, token };
  });
}
