import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

// What goes into `next build`: a change to any of these makes the build stale.
const SOURCE_DIRS = ["app", "components", "lib", "db", "public"];
const SOURCE_FILES = [
  "package.json",
  "package-lock.json",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "proxy.ts",
  "instrumentation.ts",
];
const IGNORED = /\.test\.tsx?$/;
const STAMP = ".next/arbor-build-fingerprint";

/** A hash of every file the production build is made from. */
export async function sourceFingerprint(root: string): Promise<string> {
  const files: string[] = SOURCE_FILES.filter((file) => existsSync(path.join(root, file)));
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(path.join(root, dir))) continue;
    const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || IGNORED.test(entry.name)) continue;
      files.push(path.relative(root, path.join(entry.parentPath, entry.name)));
    }
  }
  files.sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(file).update("\0").update(await readFile(path.join(root, file))).update("\0");
  }
  return hash.digest("hex");
}

/** Whether `.next` holds a production build of exactly the current sources. */
export async function isBuildCurrent(root: string, fingerprint: string): Promise<boolean> {
  if (!existsSync(path.join(root, ".next/BUILD_ID"))) return false;
  const stamp = await readFile(path.join(root, STAMP), "utf8").catch(() => "");
  return stamp.trim() === fingerprint;
}

export async function recordBuild(root: string, fingerprint: string): Promise<void> {
  await mkdir(path.join(root, path.dirname(STAMP)), { recursive: true });
  await writeFile(path.join(root, STAMP), `${fingerprint}\n`);
}
