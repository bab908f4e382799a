-- The roll-ups' (account, day | month) indexes INCLUDE (node_id, points), added here by hand (drizzle's
-- schema cannot declare INCLUDE, see db/schema/consumption.ts): ranking thousands of organizations over
-- a range (top consumers, the statement, a group's children) reads them from the index alone, a few
-- contiguous pages a day instead of a heap page per organization.
CREATE TYPE "public"."entitlement_status" AS ENUM('pending', 'active', 'stopped', 'expired');--> statement-breakpoint
CREATE TABLE "budget_alerts" (
	"node_id" uuid NOT NULL,
	"month" date NOT NULL,
	"threshold" smallint NOT NULL,
	"account_id" uuid NOT NULL,
	"budget_points" numeric(14, 4) NOT NULL,
	"actual_points" numeric(14, 4) NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budget_alerts_node_id_month_threshold_pk" PRIMARY KEY("node_id","month","threshold"),
	CONSTRAINT "budget_alerts_threshold_known" CHECK ("budget_alerts"."threshold" in (80, 100))
);
--> statement-breakpoint
CREATE TABLE "budgets" (
	"node_id" uuid NOT NULL,
	"month" date NOT NULL,
	"account_id" uuid NOT NULL,
	"points" numeric(14, 4) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "budgets_node_id_month_pk" PRIMARY KEY("node_id","month"),
	CONSTRAINT "budgets_first_day" CHECK (extract(day from "budgets"."month") = 1),
	CONSTRAINT "budgets_points_positive" CHECK ("budgets"."points" > 0)
);
--> statement-breakpoint
CREATE TABLE "consumption_daily" (
	"node_id" uuid NOT NULL,
	"day" date NOT NULL,
	"product_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"points" numeric(14, 4) NOT NULL,
	CONSTRAINT "consumption_daily_node_id_day_product_id_pk" PRIMARY KEY("node_id","day","product_id")
);
--> statement-breakpoint
CREATE TABLE "consumption_monthly" (
	"node_id" uuid NOT NULL,
	"month" date NOT NULL,
	"product_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"points" numeric(14, 4) NOT NULL,
	CONSTRAINT "consumption_monthly_node_id_month_product_id_pk" PRIMARY KEY("node_id","month","product_id"),
	CONSTRAINT "consumption_monthly_first_day" CHECK (extract(day from "consumption_monthly"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "entitlements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"configuration_id" uuid NOT NULL,
	"serial_number" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" "entitlement_status" DEFAULT 'pending' NOT NULL,
	"start_date" date,
	"end_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "entitlements_dates_ordered" CHECK ("entitlements"."end_date" is null or "entitlements"."start_date" is null or "entitlements"."end_date" >= "entitlements"."start_date")
);
--> statement-breakpoint
CREATE TABLE "flex_configurations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"name" text NOT NULL,
	"parameters" jsonb NOT NULL,
	"points_per_day" numeric(14, 4) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flex_products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"price_table" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flex_programs" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"point_price" numeric(12, 4) NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"billing_day" smallint DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "flex_programs_billing_day_range" CHECK ("flex_programs"."billing_day" between 1 and 28),
	CONSTRAINT "flex_programs_point_price_positive" CHECK ("flex_programs"."point_price" > 0),
	CONSTRAINT "flex_programs_currency_format" CHECK ("flex_programs"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "usage_daily" (
	"entitlement_id" uuid NOT NULL,
	"day" date NOT NULL,
	"account_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"points" numeric(14, 4) NOT NULL,
	CONSTRAINT "usage_daily_entitlement_id_day_pk" PRIMARY KEY("entitlement_id","day"),
	CONSTRAINT "usage_daily_points_non_negative" CHECK ("usage_daily"."points" >= 0)
);
--> statement-breakpoint
ALTER TABLE "budget_alerts" ADD CONSTRAINT "budget_alerts_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_alerts" ADD CONSTRAINT "budget_alerts_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_daily" ADD CONSTRAINT "consumption_daily_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_daily" ADD CONSTRAINT "consumption_daily_product_id_flex_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."flex_products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_daily" ADD CONSTRAINT "consumption_daily_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_monthly" ADD CONSTRAINT "consumption_monthly_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_monthly" ADD CONSTRAINT "consumption_monthly_product_id_flex_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."flex_products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_monthly" ADD CONSTRAINT "consumption_monthly_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_configuration_id_flex_configurations_id_fk" FOREIGN KEY ("configuration_id") REFERENCES "public"."flex_configurations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_configurations" ADD CONSTRAINT "flex_configurations_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_configurations" ADD CONSTRAINT "flex_configurations_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_configurations" ADD CONSTRAINT "flex_configurations_product_id_flex_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."flex_products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_products" ADD CONSTRAINT "flex_products_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_programs" ADD CONSTRAINT "flex_programs_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "budget_alerts_account_month_idx" ON "budget_alerts" USING btree ("account_id","month");--> statement-breakpoint
CREATE INDEX "budgets_account_month_idx" ON "budgets" USING btree ("account_id","month");--> statement-breakpoint
CREATE INDEX "consumption_daily_account_day_idx" ON "consumption_daily" USING btree ("account_id","day") INCLUDE ("node_id","points");--> statement-breakpoint
CREATE INDEX "consumption_monthly_account_month_idx" ON "consumption_monthly" USING btree ("account_id","month") INCLUDE ("node_id","points");--> statement-breakpoint
CREATE UNIQUE INDEX "entitlements_account_serial_key" ON "entitlements" USING btree ("account_id","serial_number");--> statement-breakpoint
CREATE INDEX "entitlements_node_idx" ON "entitlements" USING btree ("account_id","node_id","status");--> statement-breakpoint
CREATE INDEX "entitlements_configuration_idx" ON "entitlements" USING btree ("configuration_id");--> statement-breakpoint
CREATE INDEX "flex_configurations_node_idx" ON "flex_configurations" USING btree ("account_id","node_id");--> statement-breakpoint
CREATE UNIQUE INDEX "flex_products_account_key_key" ON "flex_products" USING btree ("account_id","key");