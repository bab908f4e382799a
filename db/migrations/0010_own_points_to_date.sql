-- Each organization's own points to date (db/schema/consumption.ts). The key INCLUDEs points_to_date,
-- added here by hand (drizzle's schema cannot declare INCLUDE): a range is two index-only lookups per
-- organization. Filled from raw usage at the end, so that an existing database reads right at once.
CREATE TABLE "consumption_own_to_date" (
	"organization_id" uuid NOT NULL,
	"day" date NOT NULL,
	"account_id" uuid NOT NULL,
	"points_to_date" numeric(20, 4) NOT NULL,
	CONSTRAINT "consumption_own_to_date_organization_id_day_pk" PRIMARY KEY("organization_id","day") INCLUDE ("points_to_date")
);
--> statement-breakpoint
ALTER TABLE "consumption_own_to_date" ADD CONSTRAINT "consumption_own_to_date_organization_id_nodes_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_own_to_date" ADD CONSTRAINT "consumption_own_to_date_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consumption_own_to_date_account_idx" ON "consumption_own_to_date" USING btree ("account_id");--> statement-breakpoint
INSERT INTO "consumption_own_to_date" ("organization_id", "day", "account_id", "points_to_date")
SELECT "node_id", "day", "account_id", sum(sum("points")) OVER (PARTITION BY "node_id" ORDER BY "day")
FROM "usage_daily" GROUP BY "node_id", "day", "account_id";
