DROP INDEX "nodes_account_parent_idx";--> statement-breakpoint
CREATE INDEX "nodes_account_parent_order_idx" ON "nodes" USING btree ("account_id","parent_id","kind",lower("name"),"id");