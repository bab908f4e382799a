// Series colours that stay apart for colour-blind readers (after Okabe and Ito) and read on both the
// light and the dark background; "others" is always the neutral grey.

const SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8B5CF6", "#B45309"] as const;
export const OTHERS_COLOR = "#94A3B8";
export const BUDGET_COLOR = "#DC2626";

/** The colour of the line at `index` among the lines shown; "others" and the total have fixed ones. */
export function seriesColor(kind: "total" | "node" | "product" | "others", index: number): string {
  if (kind === "others") return OTHERS_COLOR;
  return SERIES[index % SERIES.length]!;
}
