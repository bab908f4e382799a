import { and, eq, isNull } from "drizzle-orm";
import type { DatabaseConnection } from "@/db/client";
import { nodes, principals, roleAssignments, roles, type NewNode } from "@/db/schema";
import { childPath } from "@/lib/authz";

export const REGIONS = ["north", "south", "east", "west", "central"] as const;
const CHUNK = 1_000;

export interface SeededTree {
  accountId: string;
  groupId: string;
  groupSlug: string;
  ownerId: string;
  managerId: string;
  organizations: number;
  /** Organizations that got a viewer each, so that member counts are not all zero. */
  withViewer: number;
}

/**
 * An account with one group holding `organizations` customer organizations (tagged region:<r> in turn)
 * and a second, small group; an owner on the account, a manager on the big group, and a viewer on
 * every tenth organization. Inserted in chunks, then analysed.
 */
export async function seedTree(connection: DatabaseConnection, organizations: number): Promise<SeededTree> {
  const { db } = connection;
  const accountId = crypto.randomUUID();
  const groupId = crypto.randomUUID();
  const smallId = crypto.randomUUID();
  const accountPath = childPath(null, accountId);
  const groupPath = childPath(accountPath, groupId);
  await db.insert(nodes).values([
    { id: accountId, accountId, kind: "account", name: "Bench MSSP", slug: "bench", path: accountPath, depth: 0 },
    { id: groupId, accountId, parentId: accountId, kind: "group", name: "All customers", slug: "all-customers", path: groupPath, depth: 1 },
    { id: smallId, accountId, parentId: accountId, kind: "group", name: "Partners", slug: "partners", path: childPath(accountPath, smallId), depth: 1 },
  ]);
  const orgs: NewNode[] = Array.from({ length: organizations }, (_, i) => {
    const id = crypto.randomUUID();
    const number = String(i + 1).padStart(5, "0");
    return {
      id,
      accountId,
      parentId: groupId,
      kind: "organization",
      name: `Customer ${number}`,
      slug: `customer-${number}`,
      path: childPath(groupPath, id),
      depth: 2,
      tags: [`region:${REGIONS[i % REGIONS.length]}`, `tier:${i % 3 === 0 ? "enterprise" : "smb"}`],
    };
  });
  for (let start = 0; start < orgs.length; start += CHUNK) await db.insert(nodes).values(orgs.slice(start, start + CHUNK));

  const person = (name: string, home: string) => ({ id: crypto.randomUUID(), accountId, homeNodeId: home, kind: "user" as const, email: `${name}@bench.example`, name, status: "active" as const });
  const owner = person("owner", accountId);
  const manager = person("manager", accountId);
  const viewers = orgs.filter((_, i) => i % 10 === 0).map((org, i) => ({ org, principal: person(`viewer-${i}`, org.id!) }));
  const everyone = [owner, manager, ...viewers.map((viewer) => viewer.principal)];
  for (let start = 0; start < everyone.length; start += CHUNK) await db.insert(principals).values(everyone.slice(start, start + CHUNK));

  const roleId = async (key: string) => (await db.select({ id: roles.id }).from(roles).where(and(isNull(roles.accountId), eq(roles.key, key))))[0]!.id;
  const [ownerRole, managerRole, viewerRole] = [await roleId("owner"), await roleId("manager"), await roleId("viewer")];
  const assignments = [
    { accountId, principalId: owner.id, nodeId: accountId, roleId: ownerRole },
    { accountId, principalId: manager.id, nodeId: groupId, roleId: managerRole },
    ...viewers.map(({ org, principal }) => ({ accountId, principalId: principal.id, nodeId: org.id!, roleId: viewerRole })),
  ];
  for (let start = 0; start < assignments.length; start += CHUNK) await db.insert(roleAssignments).values(assignments.slice(start, start + CHUNK));

  if (connection.kind === "embedded") await connection.client.exec("vacuum analyze");
  else await connection.client.query("vacuum analyze");
  return { accountId, groupId, groupSlug: "all-customers", ownerId: owner.id, managerId: manager.id, organizations, withViewer: viewers.length };
}
