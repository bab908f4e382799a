import type { z } from "zod";
import type { Database, Transaction } from "@/db/client";
import { flexProducts } from "@/db/schema";
import { priceTable } from "./schemas";

// The catalog every account starts with: FortiFlex-like product types and their price tables (the
// figures are illustrative points per day, in the proportions FortiFlex uses, not Fortinet's prices).

export interface DefaultProduct {
  key: string;
  name: string;
  priceTable: z.input<typeof priceTable>;
}

const cpuChoices = (pointsPerCpu: number, counts: number[]) =>
  counts.map((count) => ({ value: String(count), label: `${count} vCPU${count === 1 ? "" : "s"}`, points: count * pointsPerCpu }));

export const DEFAULT_CATALOG: readonly DefaultProduct[] = [
  {
    key: "fortigate-vm",
    name: "FortiGate VM",
    priceTable: {
      serialPrefix: "FGVMML",
      parameters: [
        { kind: "choice", key: "cpu", label: "vCPUs", choices: cpuChoices(1, [1, 2, 4, 8, 16, 32]) },
        {
          kind: "choice",
          key: "service",
          label: "Service bundle",
          choices: [
            { value: "fc", label: "FortiCare Premium", factor: 1 },
            { value: "atp", label: "Advanced Threat Protection", factor: 1.4 },
            { value: "utp", label: "Unified Threat Protection", factor: 1.6 },
            { value: "ent", label: "Enterprise Protection", factor: 2 },
          ],
        },
      ],
    },
  },
  {
    key: "fortiweb-vm",
    name: "FortiWeb VM",
    priceTable: {
      serialPrefix: "FVVMML",
      parameters: [
        { kind: "choice", key: "cpu", label: "vCPUs", choices: cpuChoices(1.5, [1, 2, 4, 8, 16]) },
        {
          kind: "choice",
          key: "service",
          label: "Service bundle",
          choices: [
            { value: "std", label: "Standard", factor: 1 },
            { value: "adv", label: "Advanced", factor: 1.5 },
          ],
        },
      ],
    },
  },
  {
    key: "fortianalyzer-vm",
    name: "FortiAnalyzer VM",
    priceTable: {
      serialPrefix: "FAZVML",
      basePoints: 1,
      parameters: [
        { kind: "quantity", key: "storage_gb", label: "Daily log storage", unit: "GB", min: 5, max: 8300, step: 5, pointsPerUnit: 0.02 },
        { kind: "quantity", key: "adoms", label: "Administrative domains", unit: "ADOMs", min: 0, max: 1200, pointsPerUnit: 0.1 },
      ],
    },
  },
  {
    key: "fortimanager-vm",
    name: "FortiManager VM",
    priceTable: {
      serialPrefix: "FMGVML",
      basePoints: 1,
      parameters: [
        { kind: "quantity", key: "devices", label: "Managed devices", unit: "devices", min: 1, max: 100_000, pointsPerUnit: 0.03 },
        { kind: "quantity", key: "adoms", label: "Administrative domains", unit: "ADOMs", min: 0, max: 100_000, pointsPerUnit: 0.1 },
      ],
    },
  },
  {
    key: "forticlient-ems",
    name: "FortiClient EMS Cloud",
    priceTable: {
      serialPrefix: "FCTEMS",
      parameters: [
        { kind: "quantity", key: "endpoints", label: "Endpoints", unit: "endpoints", min: 25, max: 25_000, step: 25, pointsPerUnit: 0.01 },
        {
          kind: "choice",
          key: "service",
          label: "Service",
          choices: [
            { value: "ztna", label: "ZTNA and VPN", factor: 0.6 },
            { value: "epp", label: "EPP and ATP", factor: 1 },
            { value: "epp-managed", label: "EPP, ATP and managed service", factor: 1.4 },
          ],
        },
      ],
    },
  },
  {
    key: "fortisase",
    name: "FortiSASE",
    priceTable: {
      serialPrefix: "FSASEU",
      parameters: [
        { kind: "quantity", key: "users", label: "Users", unit: "users", min: 50, max: 10_000, step: 25, pointsPerUnit: 0.05 },
        {
          kind: "choice",
          key: "tier",
          label: "Tier",
          choices: [
            { value: "standard", label: "Standard", factor: 1 },
            { value: "advanced", label: "Advanced", factor: 1.3 },
          ],
        },
      ],
    },
  },
  {
    key: "fortiap-cloud",
    name: "FortiAP Cloud",
    priceTable: {
      serialPrefix: "FAPCLD",
      parameters: [
        { kind: "quantity", key: "access_points", label: "Access points", unit: "access points", min: 1, max: 10_000, pointsPerUnit: 0.04 },
        {
          kind: "choice",
          key: "tier",
          label: "Tier",
          choices: [
            { value: "cloud", label: "Cloud management", factor: 1 },
            { value: "utp", label: "Cloud management and UTP", factor: 1.5 },
          ],
        },
      ],
    },
  },
];

/** Inserts the default products the account lacks (by key) and returns their keys: for installDefaultCatalog and the demo seed. */
export async function insertDefaultCatalog(db: Database | Transaction, accountId: string): Promise<string[]> {
  const rows = DEFAULT_CATALOG.map((product) => ({ accountId, key: product.key, name: product.name, priceTable: priceTable.parse(product.priceTable) }));
  const inserted = await db.insert(flexProducts).values(rows).onConflictDoNothing().returning({ key: flexProducts.key });
  return inserted.map((row) => row.key);
}
