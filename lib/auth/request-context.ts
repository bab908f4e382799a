import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDatabase, type Database } from "@/db/client";
import { loadAuthContext } from "@/lib/authz/load-context";
import type { AuthContext } from "@/lib/authz";
import { auth } from "./index";

export interface RequestContext {
  db: Database;
  authz: AuthContext;
}

/**
 * The signed-in principal's context for this request, loaded fresh from the database so that a
 * disabled user or a revoked assignment counts from the very next request; null when signed out.
 */
export const getRequestContext = cache(async (): Promise<RequestContext | null> => {
  const session = await auth();
  const principalId = session?.user?.id;
  if (!principalId) return null;
  const db = await getDatabase();
  const authz = await loadAuthContext(db, principalId);
  if (!authz || authz.principal.status !== "active") return null;
  return { db, authz };
});

/** The request's context; sends a signed-out visitor to the sign-in page. */
export async function requireRequestContext(): Promise<RequestContext> {
  const context = await getRequestContext();
  if (!context) redirect("/login");
  return context;
}
