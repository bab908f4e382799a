CREATE TABLE "entitlement_stops" (
	"entitlement_id" uuid NOT NULL,
	"stopped_on" date NOT NULL,
	"account_id" uuid NOT NULL,
	"reactivated_on" date,
	CONSTRAINT "entitlement_stops_entitlement_id_stopped_on_pk" PRIMARY KEY("entitlement_id","stopped_on"),
	CONSTRAINT "entitlement_stops_ordered" CHECK ("entitlement_stops"."reactivated_on" is null or "entitlement_stops"."reactivated_on" >= "entitlement_stops"."stopped_on")
);
--> statement-breakpoint
ALTER TABLE "entitlement_stops" ADD CONSTRAINT "entitlement_stops_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlement_stops" ADD CONSTRAINT "entitlement_stops_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-added: entitlements already stopped get their open stop period, from their last day of usage (else their start).
INSERT INTO "entitlement_stops" ("entitlement_id", "stopped_on", "account_id")
SELECT e."id", coalesce((SELECT max(u."day") FROM "usage_daily" u WHERE u."entitlement_id" = e."id"), e."start_date", e."created_at"::date), e."account_id"
FROM "entitlements" e WHERE e."status" = 'stopped';
