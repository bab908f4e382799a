"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { FormError } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";
import type { TreeItem } from "@/lib/tenants/tree";
import type { Destination } from "@/lib/tenants/tree-search";
import { ModalFrame, type FormAction } from "./action-dialog";

interface Person {
  id: string;
  name: string;
  email: string | null;
  roles: string[];
}

interface Preview {
  from: { name: string };
  to: { id: string; name: string };
  gains: Person[];
  losses: Person[];
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  const body = (await response.json().catch(() => ({ error: "The server could not be reached." }))) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `The server answered ${response.status}.`);
  return body;
}

/**
 * Moving a node: pick a destination (found on the server among the nodes the principal may create
 * under), see who gains and who loses access, then confirm. The server checks everything again.
 */
export function MoveDialog(props: { node: TreeItem; action: FormAction; onClose: () => void; onMoved: (destinationId: string, message: string) => void }) {
  const { node, onMoved } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<{ query: string; destinations: Destination[] } | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [state, formAction, pending] = useActionState(props.action, {} as ActionState);
  const base = `/t/${encodeURIComponent(node.slug)}/tree`;

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  // Destinations follow the search box, a moment after typing stops.
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      getJson<Destination[]>(`${base}/destinations?q=${encodeURIComponent(query)}`).then(
        (destinations) => !cancelled && setFound({ query, destinations }),
        (error: Error) => !cancelled && setProblem(error.message),
      );
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [base, query]);

  const handled = useRef<ActionState | null>(null);
  useEffect(() => {
    if (!state.ok || handled.current === state || !preview) return;
    handled.current = state;
    onMoved(preview.to.id, state.message ?? "Moved.");
    dialog.current?.close();
  }, [state, preview, onMoved]);

  const showPreview = async () => {
    if (!chosen) return setProblem("Choose where to move it first.");
    setProblem(null);
    try {
      setPreview(await getJson<Preview>(`${base}/move-preview?to=${encodeURIComponent(chosen)}`));
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <ModalFrame ref={dialog} title={`Move ${node.name}`} onClose={props.onClose}>
      {preview ? (
        <form action={formAction} className="space-y-4">
          <input type="hidden" name="nodeId" value={node.id} />
          <input type="hidden" name="newParentId" value={preview.to.id} />
          <p className="text-sm">
            From <strong>{preview.from.name}</strong> to <strong>{preview.to.name}</strong>, with everything below it.
          </p>
          <People title="Gains access" empty="Nobody gains access." people={preview.gains} />
          <People title="Loses access" empty="Nobody loses access." people={preview.losses} />
          <FormError message={state.error} />
          <div className="flex justify-end gap-2">
            <SecondaryButton onClick={() => setPreview(null)}>Back</SecondaryButton>
            <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800 disabled:opacity-60">
              {pending ? "Moving…" : `Move to ${preview.to.name}`}
            </button>
          </div>
        </form>
      ) : (
        <div className="space-y-4">
          <div className="space-y-1">
            <label htmlFor="move-search" className="block text-sm font-medium">
              Find the destination
            </label>
            <input
              id="move-search"
              type="search"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              autoComplete="off"
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
            />
          </div>
          <fieldset className="max-h-64 space-y-1 overflow-auto" aria-busy={found?.query !== query}>
            <legend className="sr-only">Destination</legend>
            {found && found.destinations.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No group you may move it to matches.</p> : null}
            {found?.destinations.map((destination) => (
              <label key={destination.id} className="flex cursor-pointer items-baseline gap-2 rounded px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
                <input type="radio" name="destination" value={destination.id} checked={chosen === destination.id} onChange={() => setChosen(destination.id)} />
                <span>
                  {destination.name}
                  {destination.trail.length > 0 ? <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">in {destination.trail.join(" › ")}</span> : null}
                </span>
              </label>
            ))}
          </fieldset>
          {problem ? <FormError message={problem} /> : null}
          <div className="flex justify-end gap-2">
            <SecondaryButton onClick={() => dialog.current?.close()}>Cancel</SecondaryButton>
            <button type="button" onClick={showPreview} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">
              Preview the move
            </button>
          </div>
        </div>
      )}
    </ModalFrame>
  );
}

function People(props: { title: string; empty: string; people: Person[] }) {
  return (
    <section aria-label={props.title} className="space-y-1">
      <h3 className="text-sm font-semibold">
        {props.title} ({props.people.length})
      </h3>
      {props.people.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{props.empty}</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {props.people.map((person) => (
            <li key={person.id}>
              {person.name} <span className="text-slate-600 dark:text-slate-400">({person.roles.join(", ")})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SecondaryButton(props: { onClick: () => void; children: React.ReactNode }) {
  return (
    <button type="button" onClick={props.onClick} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
      {props.children}
    </button>
  );
}
