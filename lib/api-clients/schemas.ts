import { z } from "zod";

const id = z.uuid("Not a valid id.");

export const apiClientName = z.string().trim().min(1, "Enter a name.").max(200, "Use at most 200 characters.");

export const createApiClientInput = z.object({ nodeId: id, roleId: id, name: apiClientName });
export const apiClientIdInput = z.object({ apiClientId: id });
export const listApiClientsInput = z.object({ nodeId: id });
