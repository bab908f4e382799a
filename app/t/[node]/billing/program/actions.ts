"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { setProgram } from "@/lib/consumption/program";
import { setProgramInput } from "@/lib/consumption/schemas";

export const setProgramAction = authorizedAction({ input: setProgramInput, permission: "billing.manage", node: (input) => input.nodeId }, async (ctx, input) => {
  const saved = await setProgram(ctx, input);
  return `Saved: a point costs ${saved.pointPrice} ${saved.currency}; periods start on day ${saved.billingDay} of each month.`;
});
