import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { lastEventId, eventsSince } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { DomainError } from "@/lib/errors";
import { searchReadableNodes } from "./node-search";
import { loadNodeOverview } from "./overview";
import { renameNode } from "./service";

let connection: DatabaseConnection;
const db = () => connection.db;
const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
  const owner = await contextFor(db(), OWNER);
  const adler = await nodeId(db(), "adler-logistik");
  // More events than the overview shows, the newest naming the organization as it is now.
  for (let round = 1; round <= 11; round += 1) await renameNode(owner, { nodeId: adler, name: `Adler Logistik ${round}` });
  await renameNode(owner, { nodeId: adler, name: "Adler Logistik GmbH" });
});
afterAll(async () => connection?.close());

describe("loadNodeOverview", () => {
  it("gives the owner the account's counts, owners, capabilities and the ten newest events of the subtree", async () => {
    const overview = await loadNodeOverview(await contextFor(db(), OWNER), await nodeId(db(), "northwind"));
    expect(overview.counts).toEqual({ childGroups: 2, childOrganizations: 0, groupsBelow: 11, organizationsBelow: 46 });
    expect(overview.owners?.map((owner) => [owner.name, owner.inherited])).toEqual([
      ["Ava Thompson", false],
      ["Liam Carter", false],
    ]);
    expect(overview.capabilities.map((entry) => entry.capability).sort()).toEqual(["api", "assets", "flex", "policies", "reseller", "sso"]);
    expect(overview.recentEvents).toHaveLength(10);
    expect(overview.recentEvents![0]).toMatchObject({ action: "node.rename", nodeName: "Adler Logistik GmbH", actorName: "Ava Thompson" });
    expect(overview.memberCount).toBe(6);
  });

  it("shows owners inherited from above on an organization, beside its own", async () => {
    const overview = await loadNodeOverview(await contextFor(db(), OWNER), await nodeId(db(), "fabrikam-partners"));
    expect(overview.owners?.map((owner) => `${owner.name} ${owner.inherited ? `from ${owner.fromNodeName}` : "here"}`).sort()).toEqual([
      "Ava Thompson from Northwind MSSP",
      "Liam Carter from Northwind MSSP",
      "Nora Fabri here",
    ]);
    expect(overview.counts).toMatchObject({ childOrganizations: 3, organizationsBelow: 3, groupsBelow: 0 });
  });

  it("leaves out recent events for a customer viewer, who has no audit.read, and records no denial for it", async () => {
    const since = await lastEventId(db());
    const overview = await loadNodeOverview(await contextFor(db(), CUSTOMER_VIEWER), await nodeId(db(), "adler-logistik"));
    expect(overview.recentEvents).toBeNull();
    expect(overview.owners?.length).toBeGreaterThan(0);
    expect(await eventsSince(db(), since)).toEqual([]);
  });

  it("answers not_found to the EMEA admin for an Americas node, recording the denial", async () => {
    const since = await lastEventId(db());
    const error = await loadNodeOverview(await contextFor(db(), EMEA_ADMIN), await nodeId(db(), "americas")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("not_found");
    expect((await eventsSince(db(), since)).map((event) => event.action)).toEqual(["node.overview.denied"]);
  });
});

describe("searchReadableNodes", () => {
  it("finds for the owner every region's Enterprise group, each with its readable path", async () => {
    const matches = await searchReadableNodes(db(), (await contextFor(db(), OWNER)).authz, "enterprise");
    expect(matches.map((match) => match.trail.join(" › ")).sort()).toEqual([
      "Northwind MSSP › Regions › APAC",
      "Northwind MSSP › Regions › Americas",
      "Northwind MSSP › Regions › EMEA",
    ]);
  });

  it("finds for the EMEA admin only EMEA nodes, naming no ancestor above EMEA", async () => {
    const authz = (await contextFor(db(), EMEA_ADMIN)).authz;
    const matches = await searchReadableNodes(db(), authz, "enterprise");
    expect(matches.map((match) => [match.slug, match.trail])).toEqual([["emea-enterprise", ["EMEA"]]]);
    expect(await searchReadableNodes(db(), authz, "Orchard")).toEqual([]);
    expect((await searchReadableNodes(db(), authz, "region:americas")).length).toBe(0);
  });

  it("finds by exact tag, and gives a customer viewer only their own organization", async () => {
    const viewer = (await contextFor(db(), CUSTOMER_VIEWER)).authz;
    expect((await searchReadableNodes(db(), viewer, "")).map((match) => match.slug)).toEqual(["adler-logistik"]);
    expect((await searchReadableNodes(db(), viewer, "Baltic")).length).toBe(0);
    const owner = (await contextFor(db(), OWNER)).authz;
    expect((await searchReadableNodes(db(), owner, "channel:reseller")).map((match) => match.slug)).toContain("fabrikam-partners");
  });
});
