"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { createProfile, deleteProfile, updateProfile } from "@/lib/access/profiles";
import { authorizedAction, type ActionState } from "@/lib/actions/authorized-action";
import { isPermission } from "@/lib/authz";
import type { ServiceContext } from "@/lib/service-context";

// Custom profiles belong to the account: every write needs profile.manage on the account node,
// whichever node's page it came from. The profile service checks again and validates.

/** What the profile form gets back; a failed one also what was typed, so nothing is typed twice. */
export interface ProfileFormState extends ActionState {
  values?: { name: string; description: string; permissions: string[] };
}

const onTheAccount = { permission: "profile.manage", node: (_input: unknown, ctx: ServiceContext) => ctx.authz.principal.accountId } as const;

// One checkbox per permission, named `permission:<name>`: FormData keeps each, a plain object would keep one.
const PERMISSION_FIELD = "permission:";
const profileForm = z.looseObject({ name: z.string().default(""), description: z.string().default(""), slug: z.string() });

function checkedPermissions(form: Record<string, unknown>): string[] {
  return Object.keys(form)
    .filter((key) => key.startsWith(PERMISSION_FIELD))
    .map((key) => key.slice(PERMISSION_FIELD.length))
    .filter(isPermission);
}

const create = authorizedAction({ ...onTheAccount, input: profileForm }, async (ctx, form) => {
  const created = await createProfile(ctx, { name: form.name, description: form.description, permissions: checkedPermissions(form) });
  // The new profile's id: createProfileAction turns it into the address of the profile's page.
  return created.id;
});

const update = authorizedAction(
  { ...onTheAccount, input: profileForm.extend({ roleId: z.string(), expectedVersion: z.coerce.number().int().positive() }) },
  async (ctx, form) => {
    const updated = await updateProfile(ctx, {
      roleId: form.roleId,
      name: form.name,
      description: form.description,
      permissions: checkedPermissions(form),
      expectedVersion: form.expectedVersion,
    });
    return `${updated.name} is saved.`;
  },
);

const remove = authorizedAction({ ...onTheAccount, input: z.object({ roleId: z.string(), slug: z.string() }) }, async (ctx, form) => {
  await deleteProfile(ctx, { roleId: form.roleId });
});

function withValues(state: ActionState, formData: FormData): ProfileFormState {
  if (state.ok) return state;
  const form = Object.fromEntries(formData);
  const values = { name: String(form.name ?? ""), description: String(form.description ?? ""), permissions: checkedPermissions(form) };
  const error = state.fieldErrors && Object.keys(state.fieldErrors).length > 0 ? "Check the highlighted fields." : state.error;
  return { ...state, error, values };
}

const profilesOf = (formData: FormData) => `/t/${encodeURIComponent(String(formData.get("slug") ?? ""))}/roles`;

export async function createProfileAction(previous: ProfileFormState, formData: FormData): Promise<ProfileFormState> {
  const state = await create(previous, formData);
  if (state.ok) redirect(`${profilesOf(formData)}/${state.message}`);
  return withValues(state, formData);
}

export async function updateProfileAction(previous: ProfileFormState, formData: FormData): Promise<ProfileFormState> {
  return withValues(await update(previous, formData), formData);
}

export async function deleteProfileAction(previous: ActionState, formData: FormData): Promise<ActionState> {
  const state = await remove(previous, formData);
  if (state.ok) redirect(profilesOf(formData));
  return state;
}
