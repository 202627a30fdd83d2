CREATE TABLE "publications" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"letter_id" integer NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" text,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" text,
	"withdrawal_reason" text
);
--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_withdrawn_by_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "publications_letter_active_uq" ON "publications" USING btree ("letter_id") WHERE "publications"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "publications_proposal_idx" ON "publications" USING btree ("proposal_id");--> statement-breakpoint
-- Replies published before this table existed: their latest signed letter, from the 公开 event when there is one.
INSERT INTO "publications" ("proposal_id", "letter_id", "published_at", "published_by")
SELECT p.id, l.id, coalesce(e.at, now()), e.actor_id
FROM "proposals" p
JOIN "letters" l ON l.proposal_id = p.id AND l.state = 'signed'
  AND l.round = (SELECT max(l2.round) FROM "letters" l2 WHERE l2.proposal_id = p.id AND l2.state = 'signed')
LEFT JOIN LATERAL (SELECT ev.at, ev.actor_id FROM "events" ev WHERE ev.proposal_id = p.id AND ev.kind = 'publish' ORDER BY ev.id DESC LIMIT 1) e ON true
WHERE p.state = 'published' AND p.disclosure = 'public';
