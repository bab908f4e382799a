-- Each organization's own points to date, dense from its first usage to its account's latest day (see
-- db/schema/consumption.ts). The (account, day) index INCLUDEs the organization and the figure, added
-- here by hand (drizzle's schema cannot declare INCLUDE): every organization's figure at a day is one
-- index-only range. Filled from raw usage at the end, so that an existing database reads right at once.
CREATE TABLE "consumption_own_to_date" (
	"organization_id" uuid NOT NULL,
	"day" date NOT NULL,
	"account_id" uuid NOT NULL,
	"points_to_date" numeric(20, 4) NOT NULL,
	CONSTRAINT "consumption_own_to_date_organization_id_day_pk" PRIMARY KEY("organization_id","day")
);
--> statement-breakpoint
ALTER TABLE "consumption_own_to_date" ADD CONSTRAINT "consumption_own_to_date_organization_id_nodes_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_own_to_date" ADD CONSTRAINT "consumption_own_to_date_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consumption_own_to_date_account_day_idx" ON "consumption_own_to_date" USING btree ("account_id","day") INCLUDE ("organization_id","points_to_date");--> statement-breakpoint
SET LOCAL work_mem = '256MB';--> statement-breakpoint
INSERT INTO "consumption_own_to_date" ("organization_id", "day", "account_id", "points_to_date")
SELECT r."node_id", g."day"::date, r."account_id", r."to_date"
FROM (
	SELECT "account_id", "node_id", "day",
		sum("points") OVER (PARTITION BY "node_id" ORDER BY "day") AS "to_date",
		lead("day") OVER (PARTITION BY "node_id" ORDER BY "day") AS "next_day",
		max("day") OVER (PARTITION BY "account_id") AS "frontier"
	FROM (SELECT "account_id", "node_id", "day", sum("points") AS "points" FROM "usage_daily" GROUP BY "account_id", "node_id", "day") AS "days"
) AS r
CROSS JOIN LATERAL generate_series(r."day", coalesce(r."next_day" - 1, r."frontier"), interval '1 day') AS g("day");