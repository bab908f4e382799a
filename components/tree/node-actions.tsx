"use client";

import { useCallback, useState } from "react";
import { Field } from "@/components/ui/field";
import type { NodeKind, NodeStatus } from "@/db/schema";
import type { TreeItem } from "@/lib/tenants/tree";
import { ActionDialog, type FormAction } from "./action-dialog";
import { MoveDialog } from "./move-dialog";

/** The server actions the tree's dialogs call; each is an authorizedAction on the server. */
export interface TreeActions {
  create: FormAction;
  rename: FormAction;
  tag: FormAction;
  move: FormAction;
  archive: FormAction;
  restore: FormAction;
}

/** What the tree must refresh after a change: branches to load again, sub-node counts to adjust, a node to open. */
export interface TreeChange {
  reload: string[];
  counts?: [string, number][];
  open?: string;
  /** A node whose status changed, so that its actions follow even when it leaves the visible tree. */
  status?: [string, NodeStatus];
}

type Open = { kind: "create"; nodeKind: NodeKind } | { kind: "rename" | "tag" | "move" | "archive" | "restore" };

const KIND_NAME: Record<NodeKind, string> = { account: "account", group: "group", organization: "organization" };

/**
 * The changes the selected node offers, each only when the server said the principal may make it
 * (the server action checks again), each in a dialog.
 */
export function NodeActions(props: { node: TreeItem; actions: TreeActions; includeArchived: boolean; onChanged: (change: TreeChange) => void }) {
  const { node, actions, onChanged } = props;
  const [open, setOpen] = useState<Open | null>(null);
  const [message, setMessage] = useState("");
  const close = useCallback(() => setOpen(null), []);
  const done = useCallback(
    (change: TreeChange) => (text: string) => {
      setMessage(text);
      onChanged(change);
    },
    [onChanged],
  );
  const siblings = node.parentId ? [node.parentId] : [];
  const archived = node.status === "archived";
  const buttons = [
    ...node.may.create.map((kind) => ({ label: `New ${KIND_NAME[kind]}`, open: { kind: "create", nodeKind: kind } as Open })),
    ...(node.may.update ? [{ label: "Rename", open: { kind: "rename" } as Open }, { label: "Edit tags", open: { kind: "tag" } as Open }] : []),
    ...(node.may.move && !archived ? [{ label: "Move", open: { kind: "move" } as Open }] : []),
    ...(node.may.archive ? [{ label: archived ? "Restore" : "Archive", open: { kind: archived ? "restore" : "archive" } as Open }] : []),
  ];

  return (
    <section aria-label={`Actions on ${node.name}`} className="flex min-h-9 flex-wrap items-center gap-2">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Selected: <span className="font-medium text-slate-900 dark:text-slate-100">{node.name}</span>
      </p>
      {buttons.map((button) => (
        <button
          key={button.label}
          type="button"
          onClick={() => setOpen(button.open)}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          {button.label}
        </button>
      ))}
      <p role="status" className="text-sm text-brand-800 dark:text-brand-100">
        {message}
      </p>

      {open?.kind === "create" ? (
        <ActionDialog
          title={`New ${KIND_NAME[open.nodeKind]} in ${node.name}`}
          action={actions.create}
          hidden={{ parentId: node.id, kind: open.nodeKind }}
          submitLabel={`Create ${KIND_NAME[open.nodeKind]}`}
          onClose={close}
          onDone={done({ reload: [node.id], counts: [[node.id, 1]], open: node.id })}
        >
          {(state) => (
            <>
              <Field label="Name" name="name" autoComplete="off" errors={state.fieldErrors?.name ?? state.fieldErrors?.slug} />
              <Field label="Tags (optional)" name="tags" autoComplete="off" hint="Separate tags with commas, e.g. region:emea, tier:smb." errors={state.fieldErrors?.tags} />
            </>
          )}
        </ActionDialog>
      ) : null}
      {open?.kind === "rename" ? (
        <ActionDialog title={`Rename ${node.name}`} action={actions.rename} hidden={{ nodeId: node.id }} submitLabel="Rename" onClose={close} onDone={done({ reload: siblings })}>
          {(state) => <Field label="Name" name="name" autoComplete="off" defaultValue={node.name} errors={state.fieldErrors?.name} />}
        </ActionDialog>
      ) : null}
      {open?.kind === "tag" ? (
        <ActionDialog title={`Tags of ${node.name}`} action={actions.tag} hidden={{ nodeId: node.id }} submitLabel="Save tags" onClose={close} onDone={done({ reload: siblings })}>
          {(state) => (
            <Field label="Tags" name="tags" autoComplete="off" defaultValue={node.tags.join(", ")} hint="key:value, separated by commas. Leave empty to remove every tag." errors={state.fieldErrors?.tags} />
          )}
        </ActionDialog>
      ) : null}
      {open?.kind === "archive" ? (
        <ActionDialog
          title={`Archive ${node.name}?`}
          action={actions.archive}
          hidden={{ nodeId: node.id }}
          submitLabel="Archive"
          tone="danger"
          onClose={close}
          onDone={done({ reload: siblings, counts: props.includeArchived ? [] : siblings.map((id) => [id, -1]), status: [node.id, "archived"] })}
        >
          {() => <p className="text-sm">{node.name} and everything below it will be archived. Nothing is deleted: you can restore it later.</p>}
        </ActionDialog>
      ) : null}
      {open?.kind === "restore" ? (
        <ActionDialog title={`Restore ${node.name}?`} action={actions.restore} hidden={{ nodeId: node.id }} submitLabel="Restore" onClose={close} onDone={done({ reload: siblings, status: [node.id, "active"] })}>
          {() => <p className="text-sm">{node.name} becomes active again, with everything below it.</p>}
        </ActionDialog>
      ) : null}
      {open?.kind === "move" ? (
        <MoveDialog
          node={node}
          action={actions.move}
          onClose={close}
          onMoved={(destinationId, text) => done({ reload: [...siblings, destinationId], counts: [...siblings.map((id): [string, number] => [id, -1]), [destinationId, 1]] })(text)}
        />
      ) : null}
    </section>
  );
}
