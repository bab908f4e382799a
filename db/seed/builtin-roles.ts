import { and, eq, isNull, sql } from "drizzle-orm";
import { BUILTIN_ROLES } from "@/lib/authz/builtin-roles";
import type { Database } from "../client";
import { roles } from "../schema";

/** Makes the built-in roles in the database match the catalog in code; safe to run at every start. */
export async function syncBuiltinRoles(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    for (const role of BUILTIN_ROLES) {
      const permissions = [...role.permissions];
      const [existing] = await tx
        .select({ id: roles.id, permissions: roles.permissions, name: roles.name, description: roles.description })
        .from(roles)
        .where(and(isNull(roles.accountId), eq(roles.key, role.key)));
      if (!existing) {
        await tx.insert(roles).values({ key: role.key, name: role.name, description: role.description, permissions, builtin: true });
      } else if (
        existing.name !== role.name ||
        existing.description !== role.description ||
        existing.permissions.join(" ") !== permissions.join(" ")
      ) {
        await tx
          .update(roles)
          .set({ name: role.name, description: role.description, permissions, updatedAt: new Date(), version: sql`${roles.version} + 1` })
          .where(eq(roles.id, existing.id));
      }
    }
  });
}
