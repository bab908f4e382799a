// Shared by the pre-paint script and the toggle: where the choice is kept and how it is applied.
export const THEME_KEY = "arbor-theme";
export type Theme = "light" | "dark" | "system";

/**
 * Runs in <head> before the first paint, so a dark choice never flashes light. Kept as a string: it must
 * run before React does.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem("${THEME_KEY}");var d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);var r=document.documentElement;r.classList.toggle("dark",d);r.style.colorScheme=d?"dark":"light"}catch(e){}})()`;

export function applyTheme(theme: Theme): void {
  const dark = theme === "dark" || (theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
}
