import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireRequestContext } from "@/lib/auth/request-context";
import { findReadableNode } from "@/lib/tenants/read";

/**
 * The node named in the URL with the request's context, once per request. A node that does not exist
 * and one the principal may not read both end in the same not-found page: no probing by slug.
 */
export const loadNode = cache(async (slug: string) => {
  const context = await requireRequestContext();
  const node = await findReadableNode(context.db, context.authz, decodeURIComponent(slug));
  if (!node) notFound();
  return { ...context, node };
});
