"use server";

import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { archiveNode, createNode, moveNode, renameNode, restoreNode, tagNode } from "@/lib/tenants/service";

// The tree's changes. Each names the one permission it needs on its node; the services check again
// (a move also needs tenant.create on the destination) and write with their audit event.

const id = z.uuid("Not a valid id.");
/** Tags typed one per line or separated by commas; the service validates each. */
const typedTags = z
  .string()
  .default("")
  .transform((text) =>
    text
      .split(/[,\n]/)
      .map((tag) => tag.trim())
      .filter(Boolean),
  );

export const createNodeAction = authorizedAction(
  {
    input: z.object({ parentId: id, kind: z.enum(["group", "organization"], "Choose a group or an organization."), name: z.string(), tags: typedTags }),
    permission: "tenant.create",
    node: (input) => input.parentId,
  },
  async (ctx, input) => {
    const created = await createNode(ctx, input);
    return `${created.kind === "group" ? "Group" : "Organization"} ${created.name} created.`;
  },
);

export const renameNodeAction = authorizedAction(
  { input: z.object({ nodeId: id, name: z.string() }), permission: "tenant.update", node: (input) => input.nodeId },
  async (ctx, input) => {
    const renamed = await renameNode(ctx, input);
    return `Renamed to ${renamed.name}.`;
  },
);

export const tagNodeAction = authorizedAction(
  { input: z.object({ nodeId: id, tags: typedTags }), permission: "tenant.update", node: (input) => input.nodeId },
  async (ctx, input) => {
    const tagged = await tagNode(ctx, input);
    return tagged.tags.length > 0 ? `Tags saved: ${tagged.tags.join(", ")}.` : "Tags removed.";
  },
);

export const moveNodeAction = authorizedAction(
  { input: z.object({ nodeId: id, newParentId: id }), permission: "tenant.move", node: (input) => input.nodeId },
  async (ctx, input) => {
    const moved = await moveNode(ctx, input);
    return `${moved.node.name} moved to ${moved.to.name}.`;
  },
);

export const archiveNodeAction = authorizedAction(
  { input: z.object({ nodeId: id }), permission: "tenant.delete", node: (input) => input.nodeId },
  async (ctx, input) => {
    const archived = await archiveNode(ctx, input);
    return `${archived.name} archived.`;
  },
);

export const restoreNodeAction = authorizedAction(
  { input: z.object({ nodeId: id }), permission: "tenant.delete", node: (input) => input.nodeId },
  async (ctx, input) => {
    const restored = await restoreNode(ctx, input);
    return `${restored.name} restored.`;
  },
);
