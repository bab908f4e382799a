"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { removeBudget, setBudget } from "@/lib/consumption/budgets";
import { removeBudgetInput, setBudgetInput } from "@/lib/consumption/read-inputs";
import { formatMonth, formatPoints } from "@/components/consumption/format";

export const setBudgetAction = authorizedAction({ input: setBudgetInput, permission: "budget.manage", node: (input) => input.nodeId }, async (ctx, input) => {
  const saved = await setBudget(ctx, input);
  return `The budget for ${formatMonth(saved.month, true)} is ${formatPoints(saved.points)} points.`;
});

export const removeBudgetAction = authorizedAction({ input: removeBudgetInput, permission: "budget.manage", node: (input) => input.nodeId }, async (ctx, input) => {
  await removeBudget(ctx, input);
  return `The budget for ${formatMonth(input.month, true)} is removed.`;
});
