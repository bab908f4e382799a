import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDatabase, type Database } from "@/db/client";
import { loadAuthContext } from "@/lib/authz/load-context";
import type { AuthContext } from "@/lib/authz";
import { clientInfoFrom } from "./client-info";
import { auth } from "./index";
import { findLiveSession, type ClientInfo, type LiveSession } from "./sessions";

export interface RequestContext {
  db: Database;
  authz: AuthContext;
  session: LiveSession;
  request: ClientInfo;
}

/** The request's server-side session, whatever its stage; null when signed out or ended. */
export const getLiveSession = cache(async (): Promise<{ db: Database; session: LiveSession } | null> => {
  const current = await auth();
  if (!current?.user?.id || !current.sid) return null;
  const db = await getDatabase();
  const session = await findLiveSession(db, current.sid, current.user.id, new Date());
  return session ? { db, session } : null;
});

/**
 * The signed-in principal's context for this request, loaded fresh from the database so that a
 * disabled user, a revoked assignment or an ended session counts from the very next request; null
 * unless both sign-in steps are done.
 */
export const getRequestContext = cache(async (): Promise<RequestContext | null> => {
  const live = await getLiveSession();
  if (!live || live.session.stage !== "complete") return null;
  const authz = await loadAuthContext(live.db, live.session.principalId);
  if (!authz || authz.principal.status !== "active") return null;
  return { db: live.db, authz, session: live.session, request: clientInfoFrom(await headers()) };
});

/** The request's context; sends anyone not fully signed in to the step they have to take. */
export async function requireRequestContext(): Promise<RequestContext> {
  const context = await getRequestContext();
  if (context) return context;
  const live = await getLiveSession();
  redirect(live ? "/login/verify" : "/login");
}
