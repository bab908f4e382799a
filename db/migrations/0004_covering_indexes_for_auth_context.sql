-- loadAuthContext reads a principal's assignments and their node paths from indexes alone (index-only
-- scans), so a context load touches a few contiguous index pages instead of one heap page per
-- assignment and per node: the tail of context loads on a large database comes from those reads.
-- INCLUDE is added here by hand: drizzle's schema cannot declare it (see db/schema/access.ts, tenants.ts).
DROP INDEX "role_assignments_account_principal_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "nodes_account_id_cover_key" ON "nodes" USING btree ("account_id","id") INCLUDE ("path");--> statement-breakpoint
CREATE INDEX "role_assignments_account_principal_cover_idx" ON "role_assignments" USING btree ("account_id","principal_id") INCLUDE ("id","node_id","role_id","expires_at","source");
