import { z } from "zod";

export const nodeName = z.string().trim().min(1, "Enter a name.").max(200, "Use at most 200 characters.");
export const nodeSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter a short name for addresses.")
  .max(63, "Use at most 63 characters.")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens.");
export const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}:[a-z0-9][a-z0-9_.\- ]{0,126}$/, "Tags look like key:value (letters, digits, . _ -).");
export const tagList = z.array(tag).max(50, "Use at most 50 tags.").transform((tags) => [...new Set(tags)].sort());
const id = z.uuid("Not a valid id.");

export const createNodeInput = z.object({
  parentId: id,
  kind: z.enum(["group", "organization"]),
  name: nodeName,
  slug: nodeSlug.optional(),
  tags: tagList.default([]),
});
const expectedVersion = z.number().int().positive().optional();
export const renameNodeInput = z.object({ nodeId: id, name: nodeName, expectedVersion });
export const tagNodeInput = z.object({ nodeId: id, tags: tagList, expectedVersion });

const nodeChanges = { name: nodeName.optional(), tags: tagList.optional() };
const changesSomething = (change: { name?: string; tags?: string[] }) => change.name !== undefined || change.tags !== undefined;
/** A new name, new tags, or both: what the API's PATCH of a node sends. */
export const nodeChangesInput = z.object(nodeChanges).refine(changesSomething, "Send a name, tags, or both.");
export const updateNodeInput = z.object({ nodeId: id, ...nodeChanges, expectedVersion }).refine(changesSomething, "Send a name, tags, or both.");
export const moveNodeInput = z.object({ nodeId: id, newParentId: id, expectedVersion });
export const nodeIdInput = z.object({ nodeId: id });

export type CreateNodeInput = z.input<typeof createNodeInput>;
export type MoveNodeInput = z.input<typeof moveNodeInput>;
