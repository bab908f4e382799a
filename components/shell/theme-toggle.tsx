"use client";

import { useEffect, useSyncExternalStore } from "react";
import { applyTheme, THEME_KEY, type Theme } from "./theme";

const CHOICES: { value: Theme; label: string }[] = [
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
  { value: "system", label: "System" },
];

const listeners = new Set<() => void>();

function readTheme(): Theme {
  const stored = window.localStorage.getItem(THEME_KEY);
  return stored === "light" || stored === "dark" ? stored : "system";
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Light, dark or the system's choice; kept in this browser and applied before paint on the next load. */
export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribe, readTheme, () => "system" as Theme);

  useEffect(() => {
    if (theme !== "system") return;
    // Follow the system while it is the choice.
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => applyTheme("system");
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, [theme]);

  function choose(next: Theme) {
    if (next === "system") window.localStorage.removeItem(THEME_KEY);
    else window.localStorage.setItem(THEME_KEY, next);
    applyTheme(next);
    listeners.forEach((listener) => listener());
  }

  return (
    <div role="group" aria-label="Theme" className="inline-flex rounded-md border border-slate-300 p-0.5 dark:border-slate-700">
      {CHOICES.map((choice) => (
        <button
          key={choice.value}
          type="button"
          aria-pressed={theme === choice.value}
          onClick={() => choose(choice.value)}
          className={`rounded px-2 py-0.5 text-xs font-medium ${
            theme === choice.value
              ? "bg-slate-800 text-white dark:bg-slate-100 dark:text-slate-900"
              : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
          }`}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}
