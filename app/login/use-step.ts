"use client";

import { useState } from "react";
import type { StepBody } from "@/lib/auth/step-response";

/** Posts a sign-in step's form to its endpoint and keeps the answer: errors to show, or where to go next. */
export function useStep(endpoint: string, onDone: (body: StepBody) => void) {
  const [state, setState] = useState<StepBody & { email?: string }>({});
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    try {
      const response = await fetch(endpoint, { method: "POST", body: form });
      const body = (await response.json().catch(() => ({ error: "Something went wrong. Try again." }))) as StepBody;
      setState({ ...body, email: String(form.get("email") ?? "") });
      if (response.ok) onDone(body);
    } catch {
      setState({ error: "The portal cannot be reached. Check your connection and try again." });
    } finally {
      setPending(false);
    }
  }

  return { state, pending, submit };
}
