import "server-only";
import { authorize, recordAudit, recordDenial } from "@/lib/audit/record";
import { can, isWithin, pathIds } from "@/lib/authz";
import type { TreeNode } from "@/lib/authz/queries";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { dayOf } from "./calendar";
import { lockRollups } from "./rollups";
import { recordUsageInput, type UsageRowInput } from "./schemas";
import { loadNode } from "./scope";
import { checkUsageRow, type RefusedRow } from "./usage-rows";
import { stoppedProblem } from "./entitlement-stops";
import { archivedOnPaths, countUsage, lockEntitlements, nodesWithFlex, organizationRef, writeUsage, type AcceptedRow, type LockedEntitlement } from "./usage-write";

export interface UsageReport {
  /** Rows for an (entitlement, day) that had no usage. */
  inserted: number;
  /** Rows whose points replaced different points. */
  replaced: number;
  /** Rows that repeated the points already recorded. */
  unchanged: number;
  /** Rows refused, each listed in `errors`. */
  rejected: number;
  /** Rows that passed every check (imported unless `imported` is false). */
  valid: number;
  /** True for a dry run: the counts say what importing the valid rows would do, and nothing was written. */
  dryRun: boolean;
  /** Every refused row (its index in the input) and why, in input order. */
  errors: { index: number; reason: string }[];
  /** False for a dry run, and when rows were refused and the caller did not ask to import the valid ones: then nothing was written. */
  imported: boolean;
}

export interface IngestOptions {
  /** The audit action of the import ("usage.record", "usage.import"). */
  action: string;
  importValidRows: boolean;
  /** Check every row and count what importing would do, writing nothing (not even the audit record). */
  dryRun?: boolean;
  /** How messages name a row of the input ("row 3", "line 4"). */
  rowName: (index: number) => string;
}

/**
 * Records daily usage through the API: rows of (serial number or entitlement id, day, points) for
 * entitlements of the node's organizations that the caller may manage. All or nothing: any bad row
 * refuses the batch, each with its reason. Needs entitlement.manage on the node.
 */
export async function recordUsage(ctx: ServiceContext, raw: unknown): Promise<UsageReport> {
  const input = parseInput(recordUsageInput, raw);
  const node = await loadNode(ctx, input.nodeId);
  await authorize(ctx, "usage.record", "entitlement.manage", node);
  const report = await ingestUsage(ctx, node!, input.rows, { action: "usage.record", importValidRows: false, rowName: (index) => `row ${index + 1}` });
  if (report.imported) return report;
  const fieldErrors = Object.fromEntries(report.errors.map((error) => [`rows.${error.index}`, [error.reason]]));
  const first = report.errors[0]!;
  const count = report.rejected === 1 ? "1 row is" : `${report.rejected} rows are`;
  throw new DomainError("invalid", `${count} not acceptable, so nothing was recorded. Row ${first.index + 1}: ${first.reason}`, { fieldErrors });
}

/**
 * The ingest behind the API and the CSV import, for a node the caller was authorized on: checks every
 * row, then (unless rows were refused and `importValidRows` is off) upserts the usage by (entitlement,
 * day), moves the roll-ups by the differences and evaluates the budgets, in one transaction of a
 * handful of statements whatever the number of rows. Rows naming an entitlement the caller may not
 * manage are refused like the others, and the refusal is audited.
 */
export async function ingestUsage(ctx: ServiceContext, node: TreeNode, rows: readonly (UsageRowInput | RefusedRow)[], options: IngestOptions): Promise<UsageReport> {
  const today = dayOf(ctx.authz.now);
  const checked = rows.map((row) => checkUsageRow(row, today));
  let refusedByPermission = 0;
  const report = await ctx.db.transaction(async (tx) => {
    await lockRollups(tx, node.accountId, "shared");
    const wanted = checked.flatMap((row) => (row.ok ? [row] : []));
    const locked = await lockEntitlements(tx, node.accountId, wanted);
    const flexNodes = await nodesWithFlex(tx, ctx, node.accountId, [...locked.values()]);
    const archived = await archivedOnPaths(tx, node.accountId, [...locked.values()]);
    const errors: UsageReport["errors"] = [];
    const accepted: AcceptedRow[] = [];
    const seen = new Map<string, number>();

    checked.forEach((row, index) => {
      if (!row.ok) return void errors.push({ index, reason: row.reason });
      const key = row.serialNumber ?? row.entitlementId!;
      const entitlement = locked.get(key);
      const organization = entitlement && organizationRef(node.accountId, entitlement, flexNodes);
      if (!entitlement || !can(ctx.authz, "consumption.read", organization!)) {
        return void errors.push({ index, reason: row.serialNumber ? `Unknown serial number ${row.serialNumber}.` : `Unknown entitlement ${row.entitlementId}.` });
      }
      if (!isWithin(entitlement.path, node.path)) {
        // Permissions inherit down the tree: under the node, the caller may manage whatever it may read.
        if (can(ctx.authz, "entitlement.manage", organization!)) {
          return void errors.push({ index, reason: `${entitlement.serial} belongs to ${entitlement.organization}, which is not under ${node.name}: import it there.` });
        }
        refusedByPermission += 1;
        return void errors.push({ index, reason: `${entitlement.serial} belongs to ${entitlement.organization}: you may not record its usage.` });
      }
      const reason = archivedProblem(entitlement, archived) ?? dateProblem(entitlement, row.day);
      if (reason) return void errors.push({ index, reason });
      const duplicate = seen.get(`${entitlement.id}/${row.day}`);
      if (duplicate !== undefined) {
        return void errors.push({ index, reason: `Repeats ${options.rowName(duplicate)}: the same entitlement (${entitlement.serial}) and day.` });
      }
      seen.set(`${entitlement.id}/${row.day}`, index);
      accepted.push({ index, entitlement, day: row.day, points: row.points });
    });

    errors.sort((a, b) => a.index - b.index);
    const summary = { inserted: 0, replaced: 0, unchanged: 0, rejected: errors.length, valid: accepted.length, dryRun: options.dryRun === true, errors };
    if (options.dryRun) return { ...summary, ...(await countUsage(tx, accepted)), imported: false };
    if (errors.length > 0 && !options.importValidRows) return { ...summary, imported: false };
    const counts = await writeUsage(tx, ctx, node.accountId, accepted);
    const result = { ...summary, ...counts, imported: true };
    const days = accepted.map((row) => row.day).sort();
    await recordAudit(tx, ctx, {
      action: options.action,
      nodeId: node.id,
      targetType: "usage",
      after: {
        inserted: result.inserted,
        replaced: result.replaced,
        unchanged: result.unchanged,
        rejected: result.rejected,
        from: days[0] ?? null,
        to: days[days.length - 1] ?? null,
        organizations: new Set(accepted.map((row) => row.entitlement.organizationId)).size,
      },
    });
    return result;
  });
  if (refusedByPermission > 0) {
    const rowsText = refusedByPermission === 1 ? "1 row names an entitlement" : `${refusedByPermission} rows name entitlements`;
    await recordDenial(ctx, { action: options.action, nodeId: node.id, permission: "entitlement.manage", reason: `${rowsText} the principal may not manage here.` });
  }
  return report;
}

function dateProblem(entitlement: LockedEntitlement, day: string): string | null {
  if (entitlement.status === "pending" || entitlement.start === null) return `${entitlement.serial} is pending: activate it before recording usage.`;
  if (day < entitlement.start) return `${day} is before ${entitlement.serial} started, on ${entitlement.start}.`;
  if (entitlement.end !== null && day > entitlement.end) return `${day} is after ${entitlement.serial} expired, on ${entitlement.end}.`;
  return stoppedProblem(entitlement.serial, entitlement.stops, day);
}

/** Archiving is a soft delete of a subtree: its entitlements accrue nothing until it is restored. */
function archivedProblem(entitlement: LockedEntitlement, archived: ReadonlyMap<string, string>): string | null {
  const id = pathIds(entitlement.path).find((nodeId) => archived.has(nodeId));
  if (id === undefined) return null;
  const where = id === entitlement.organizationId ? "which is archived" : `which is under ${archived.get(id)}, archived`;
  return `${entitlement.serial} belongs to ${entitlement.organization}, ${where}: restore it before recording usage.`;
}

