CREATE INDEX "principals_account_name_idx" ON "principals" USING btree ("account_id","name","id");--> statement-breakpoint
CREATE INDEX "principals_account_email_idx" ON "principals" USING btree ("account_id","email","id");--> statement-breakpoint
CREATE INDEX "principals_account_status_idx" ON "principals" USING btree ("account_id","status","name","id");--> statement-breakpoint
CREATE INDEX "principals_account_last_sign_in_idx" ON "principals" USING btree ("account_id","last_sign_in_at" DESC NULLS LAST,"id" DESC NULLS LAST);