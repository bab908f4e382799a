import { z } from "zod";
import { defineOperation } from "../operation";
import { idParams } from "./common";

const rule = "Needs member.manage on the member's home node, and holding everything the member holds there.";

function memberAction(operationId: string, path: string, summary: string) {
  return defineOperation({
    operationId,
    method: "POST",
    path: `/members/{id}/${path}`,
    tag: "Members",
    summary,
    description: rule,
    permission: "member.manage",
    params: idParams,
    response: { status: 204, schema: z.null(), description: "Done." },
  });
}

export const signOutEverywhere = memberAction("signOutMemberEverywhere", "sign-out-everywhere", "End every session of a user, on every instance");
export const passwordReset = memberAction("requestMemberPasswordReset", "password-reset", "Mail a user a single-use link (30 minutes) to set a new password");
export const secondFactorReset = memberAction("resetMemberSecondFactor", "second-factor-reset", "Remove a user's authenticator: their next sign-in enrols again");
