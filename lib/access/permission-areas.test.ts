import { describe, expect, it } from "vitest";
import { PERMISSIONS } from "@/lib/authz";
import { groupByArea } from "./permission-areas";

describe("groupByArea", () => {
  it("puts every permission of the catalog in exactly one area", () => {
    const grouped = groupByArea().flatMap((area) => area.permissions);
    expect([...grouped].sort()).toEqual([...PERMISSIONS].sort());
  });

  it("groups by the permission's prefix and leaves out empty areas", () => {
    expect(groupByArea(["audit.read", "tenant.read", "billing.read", "tenant.create"])).toEqual([
      { key: "tenants", label: "Tenants", permissions: ["tenant.read", "tenant.create"] },
      { key: "consumption", label: "Consumption and billing", permissions: ["billing.read"] },
      { key: "governance", label: "Policies and audit", permissions: ["audit.read"] },
    ]);
  });
});
