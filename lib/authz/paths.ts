// Materialized paths are the ids from the account down to a node, each followed by "/".

/** The path of a new node under `parentPath` (or of an account when `parentPath` is null). */
export function childPath(parentPath: string | null, id: string): string {
  return `${parentPath ?? ""}${id}/`;
}

/** The half-open range [lower, upper) of byte-ordered paths that holds a node and all below it. */
export function subtreeRange(path: string): { lower: string; upper: string } {
  // Every descendant starts with `path`, which ends in "/"; "0" is the next byte after "/".
  return { lower: path, upper: `${path.slice(0, -1)}0` };
}

/** Whether the node at `path` is the node at `ancestorPath` or below it. */
export function isWithin(path: string, ancestorPath: string): boolean {
  const length = ancestorPath.length;
  if (length < 2) return path.startsWith(ancestorPath);
  // On the hot path of every decision: the last character of the ancestor's own id rejects almost
  // every other node at once, and slice-and-compare beats startsWith several times over on Node 20.
  return path.length >= length && path.charCodeAt(length - 2) === ancestorPath.charCodeAt(length - 2) && path.slice(0, length) === ancestorPath;
}

/** The ids on a path, from the account down to the node itself. */
export function pathIds(path: string): string[] {
  return path.split("/").filter(Boolean);
}
