CREATE TYPE "public"."node_kind" AS ENUM('account', 'group', 'organization');--> statement-breakpoint
CREATE TYPE "public"."node_status" AS ENUM('active', 'suspended', 'archived');--> statement-breakpoint
CREATE TYPE "public"."principal_kind" AS ENUM('user', 'api_client');--> statement-breakpoint
CREATE TYPE "public"."principal_status" AS ENUM('invited', 'active', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."assignment_source" AS ENUM('direct', 'invitation', 'idp');--> statement-breakpoint
CREATE TYPE "public"."capability" AS ENUM('flex', 'assets', 'policies', 'sso', 'api', 'reseller');--> statement-breakpoint
CREATE TABLE "nodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"parent_id" uuid,
	"kind" "node_kind" NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"path" text COLLATE "C" NOT NULL,
	"depth" smallint NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" "node_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "nodes_root_is_account" CHECK (("nodes"."kind" = 'account') = ("nodes"."parent_id" is null)),
	CONSTRAINT "nodes_account_is_own" CHECK ("nodes"."kind" <> 'account' or "nodes"."account_id" = "nodes"."id"),
	CONSTRAINT "nodes_depth_range" CHECK ("nodes"."depth" between 0 and 9),
	CONSTRAINT "nodes_slug_format" CHECK ("nodes"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	CONSTRAINT "nodes_name_present" CHECK (length(btrim("nodes"."name")) between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "local_credentials" (
	"principal_id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "principals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"home_node_id" uuid NOT NULL,
	"kind" "principal_kind" NOT NULL,
	"email" text,
	"name" text NOT NULL,
	"status" "principal_status" DEFAULT 'invited' NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "principals_user_has_email" CHECK (("principals"."kind" = 'user') = ("principals"."email" is not null)),
	CONSTRAINT "principals_name_present" CHECK (length(btrim("principals"."name")) between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "node_capabilities" (
	"account_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"capability" "capability" NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "node_capabilities_node_id_capability_pk" PRIMARY KEY("node_id","capability")
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"principal_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"expires_at" timestamp with time zone,
	"source" "assignment_source" DEFAULT 'direct' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"permissions" text[] NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "roles_builtin_has_no_account" CHECK ("roles"."builtin" = ("roles"."account_id" is null))
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" uuid NOT NULL,
	"actor_id" uuid,
	"acting_as" text,
	"node_id" uuid,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"address" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "nodes" ADD CONSTRAINT "nodes_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nodes" ADD CONSTRAINT "nodes_parent_id_nodes_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "local_credentials" ADD CONSTRAINT "local_credentials_principal_id_principals_id_fk" FOREIGN KEY ("principal_id") REFERENCES "public"."principals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "local_credentials" ADD CONSTRAINT "local_credentials_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "principals" ADD CONSTRAINT "principals_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "principals" ADD CONSTRAINT "principals_home_node_id_nodes_id_fk" FOREIGN KEY ("home_node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node_capabilities" ADD CONSTRAINT "node_capabilities_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node_capabilities" ADD CONSTRAINT "node_capabilities_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_principal_id_principals_id_fk" FOREIGN KEY ("principal_id") REFERENCES "public"."principals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_account_id_nodes_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "nodes_account_slug_key" ON "nodes" USING btree ("account_id","slug");--> statement-breakpoint
CREATE UNIQUE INDEX "nodes_account_path_key" ON "nodes" USING btree ("account_id","path");--> statement-breakpoint
CREATE INDEX "nodes_account_parent_idx" ON "nodes" USING btree ("account_id","parent_id");--> statement-breakpoint
CREATE INDEX "nodes_tags_idx" ON "nodes" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "local_credentials_account_idx" ON "local_credentials" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "principals_email_key" ON "principals" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "principals_account_idx" ON "principals" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "principals_home_node_idx" ON "principals" USING btree ("account_id","home_node_id");--> statement-breakpoint
CREATE INDEX "node_capabilities_account_idx" ON "node_capabilities" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "role_assignments_principal_node_key" ON "role_assignments" USING btree ("principal_id","node_id");--> statement-breakpoint
CREATE INDEX "role_assignments_account_principal_idx" ON "role_assignments" USING btree ("account_id","principal_id");--> statement-breakpoint
CREATE INDEX "role_assignments_account_node_idx" ON "role_assignments" USING btree ("account_id","node_id");--> statement-breakpoint
CREATE INDEX "role_assignments_role_idx" ON "role_assignments" USING btree ("role_id");--> statement-breakpoint
CREATE UNIQUE INDEX "roles_account_key_key" ON "roles" USING btree (coalesce("account_id", '00000000-0000-0000-0000-000000000000'::uuid),"key");--> statement-breakpoint
CREATE UNIQUE INDEX "roles_account_name_key" ON "roles" USING btree (coalesce("account_id", '00000000-0000-0000-0000-000000000000'::uuid),lower("name"));--> statement-breakpoint
CREATE INDEX "audit_events_account_time_idx" ON "audit_events" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_account_node_idx" ON "audit_events" USING btree ("account_id","node_id");--> statement-breakpoint
CREATE INDEX "audit_events_account_actor_idx" ON "audit_events" USING btree ("account_id","actor_id");