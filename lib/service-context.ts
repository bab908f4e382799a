import type { Database } from "@/db/client";
import type { AuthContext } from "@/lib/authz";

/** What every domain service is given: the database, the caller's authorization context, the request. */
export interface ServiceContext {
  db: Database;
  authz: AuthContext;
  request?: { address?: string | null; userAgent?: string | null };
}
