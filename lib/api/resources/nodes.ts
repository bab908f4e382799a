import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { nodes } from "@/db/schema";
import { nodeColumns } from "@/lib/authz/queries";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { createNodeInput, nodeChangesInput } from "@/lib/tenants/schemas";
import { defineOperation } from "../operation";
import { idParams, pageOf, pageQuery, timestamp } from "./common";

const nodeKind = z.enum(["account", "group", "organization"]);
const nodeStatus = z.enum(["active", "suspended", "archived"]);

const nodeFields = {
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  kind: nodeKind,
  name: z.string(),
  slug: z.string(),
  depth: z.number().int(),
  tags: z.array(z.string()),
  status: nodeStatus,
};

export const nodeSummarySchema = z.object(nodeFields).meta({ id: "NodeSummary" });
export const nodeSchema = z
  .object({ ...nodeFields, version: z.number().int().meta({ description: "Raised by every change; the ETag carries it." }) })
  .meta({ id: "Node" });

export const accessEntrySchema = z.object({
  principal: z.object({ id: z.uuid(), kind: z.enum(["user", "api_client"]), name: z.string(), email: z.string().nullable(), status: z.enum(["invited", "active", "disabled"]) }),
  permissions: z.array(z.string()),
  via: z.array(
    z.object({
      assignmentId: z.uuid(),
      nodeId: z.uuid(),
      nodeName: z.string(),
      roleId: z.uuid(),
      roleName: z.string(),
      source: z.enum(["direct", "invitation", "idp"]),
      expiresAt: timestamp.nullable(),
      inherited: z.boolean(),
    }),
  ),
}).meta({ id: "AccessEntry" });
const nodeRef = z.object({ id: z.uuid(), name: z.string() });
export const moveResultSchema = z
  .object({ applied: z.boolean(), node: nodeRef, from: nodeRef, to: nodeRef, gains: z.array(accessEntrySchema), losses: z.array(accessEntrySchema) })
  .meta({ id: "MoveResult" });

/** A node the caller may read, with its version. The wrapper has checked tenant.read on it. */
export async function readNode(ctx: ServiceContext, id: string) {
  const [node] = await ctx.db
    .select({ ...nodeColumns, version: nodes.version })
    .from(nodes)
    .where(and(eq(nodes.accountId, ctx.authz.principal.accountId), eq(nodes.id, id)));
  if (!node) throw notFound();
  return node;
}

export const list = defineOperation({
  operationId: "listNodes",
  method: "GET",
  path: "/nodes",
  tag: "Nodes",
  summary: "List the nodes you may read",
  description: "In path order (parents before children). `under` limits the list to a node and everything below it.",
  permission: "tenant.read",
  query: z.object({
    under: z.uuid("Not a valid id.").optional(),
    kind: nodeKind.optional(),
    search: z.string().trim().min(1).max(200).optional().meta({ description: "Part of the name, or an exact key:value tag." }),
    ...pageQuery,
  }),
  response: { status: 200, schema: pageOf(nodeSummarySchema, "NodePage"), description: "A page of nodes." },
});

export const get = defineOperation({
  operationId: "getNode",
  method: "GET",
  path: "/nodes/{id}",
  tag: "Nodes",
  summary: "Read a node",
  permission: "tenant.read",
  params: idParams,
  response: { status: 200, schema: nodeSchema, description: "The node; its ETag names its version." },
});

export const create = defineOperation({
  operationId: "createNode",
  method: "POST",
  path: "/nodes",
  tag: "Nodes",
  summary: "Create a group or organization",
  description: "Needs tenant.create on the parent.",
  permission: "tenant.create",
  body: createNodeInput,
  response: { status: 201, schema: nodeSchema, description: "The created node, with its ETag." },
  etag: "read",
});

export const update = defineOperation({
  operationId: "updateNode",
  method: "PATCH",
  path: "/nodes/{id}",
  tag: "Nodes",
  summary: "Rename a node, replace its tags, or both",
  description:
    "Both parts change together in one new version, or neither does. Send If-Match with the node's ETag to refuse the change (412) if someone changed the node since you read it.",
  permission: "tenant.update",
  params: idParams,
  body: nodeChangesInput,
  response: { status: 200, schema: nodeSchema, description: "The changed node." },
  etag: "if-match",
});

export const move = defineOperation({
  operationId: "moveNode",
  method: "POST",
  path: "/nodes/{id}/move",
  tag: "Nodes",
  summary: "Move a node and its subtree, or preview the move",
  description: "Needs tenant.move on the node and tenant.create on the new parent. With `preview: true` nothing moves: the answer says who would gain and lose access.",
  permission: "tenant.move",
  params: idParams,
  body: z.object({ newParentId: z.uuid("Not a valid id."), preview: z.boolean().default(false) }),
  response: { status: 200, schema: moveResultSchema, description: "Who gains and who loses access, and whether the move was applied." },
  etag: "if-match",
});

export const archive = defineOperation({
  operationId: "archiveNode",
  method: "POST",
  path: "/nodes/{id}/archive",
  tag: "Nodes",
  summary: "Archive a node (a soft delete that restore undoes)",
  permission: "tenant.delete",
  params: idParams,
  response: { status: 200, schema: nodeSchema, description: "The archived node." },
});

export const restore = defineOperation({
  operationId: "restoreNode",
  method: "POST",
  path: "/nodes/{id}/restore",
  tag: "Nodes",
  summary: "Restore an archived node",
  permission: "tenant.delete",
  params: idParams,
  response: { status: 200, schema: nodeSchema, description: "The restored node." },
});
