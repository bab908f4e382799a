import { z } from "zod";
import { defineOperation } from "../operation";
import { timestamp } from "./common";

const auditEventSchema = z
  .object({
    id: z.number().int(),
    createdAt: timestamp,
    actorName: z.string().nullable(),
    actorEmail: z.string().nullable(),
    actingAs: z.string().nullable(),
    action: z.string(),
    nodeName: z.string().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    summary: z.unknown(),
    address: z.string().nullable(),
  })
  .meta({ id: "AuditEvent" });

export const list = defineOperation({
  operationId: "listAuditEvents",
  method: "GET",
  path: "/audit-events",
  tag: "Audit",
  summary: "Audit events of a node and everything below it, newest first",
  permission: "audit.read",
  query: z.object({
    nodeId: z.uuid("Not a valid id."),
    actor: z.string().trim().max(320).optional().meta({ description: "Part of the actor's name or email." }),
    action: z.string().trim().max(100).optional().meta({ description: "Actions starting with this, e.g. node. or role.assign." }),
    from: z.iso.datetime({ offset: true, error: "Not a valid date-time." }).optional(),
    to: z.iso.datetime({ offset: true, error: "Not a valid date-time." }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50).meta({ description: "Page size, default 50." }),
    cursor: z.string().regex(/^\d{1,18}$/, "Invalid cursor.").optional().meta({ description: "The `nextCursor` of the previous page." }),
  }),
  response: {
    status: 200,
    schema: z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable() }).meta({ id: "AuditEventPage" }),
    description: "A page of events.",
  },
});
