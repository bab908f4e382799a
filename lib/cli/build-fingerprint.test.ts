import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isBuildCurrent, recordBuild, sourceFingerprint } from "./build-fingerprint";

let root: string;

async function write(relative: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
  await writeFile(path.join(root, relative), content);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "arbor-fingerprint-"));
  await write("package-lock.json", "{}\n");
  await write("next.config.mjs", "export default {};\n");
  await write("app/page.tsx", "export default function Page() { return null; }\n");
  await write("lib/authz/decide.ts", "export const decide = 1;\n");
  await write("db/schema/nodes.ts", "export const nodes = 1;\n");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("sourceFingerprint", () => {
  it("is stable while nothing changes", async () => {
    const first = await sourceFingerprint(root);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await sourceFingerprint(root)).toBe(first);
  });

  it("changes when a source file changes", async () => {
    const before = await sourceFingerprint(root);
    await write("lib/authz/decide.ts", "export const decide = 2;\n");
    expect(await sourceFingerprint(root)).not.toBe(before);
  });

  it("changes when a file deep in a source directory is added", async () => {
    const before = await sourceFingerprint(root);
    await write("app/t/[slug]/page.tsx", "export default function Page() { return null; }\n");
    expect(await sourceFingerprint(root)).not.toBe(before);
  });

  it("changes when a top-level build file changes", async () => {
    const before = await sourceFingerprint(root);
    await write("package-lock.json", '{"lockfileVersion":3}\n');
    expect(await sourceFingerprint(root)).not.toBe(before);
  });

  it("changes when a file is renamed with the same content", async () => {
    const before = await sourceFingerprint(root);
    await rm(path.join(root, "db/schema/nodes.ts"));
    await write("db/schema/tenants.ts", "export const nodes = 1;\n");
    expect(await sourceFingerprint(root)).not.toBe(before);
  });

  it("ignores test files", async () => {
    const before = await sourceFingerprint(root);
    await write("lib/authz/decide.test.ts", "it('works', () => {});\n");
    await write("components/tree.test.tsx", "it('renders', () => {});\n");
    await write("db/seed/demo.int.test.ts", "it('seeds', () => {});\n");
    expect(await sourceFingerprint(root)).toBe(before);
    await write("lib/authz/decide.test.ts", "it('still works', () => {});\n");
    expect(await sourceFingerprint(root)).toBe(before);
  });

  it("ignores files outside the source directories", async () => {
    const before = await sourceFingerprint(root);
    await write("README.md", "# Arbor\n");
    await write("e2e/login.spec.ts", "test('signs in', () => {});\n");
    await write(".next/BUILD_ID", "abc\n");
    expect(await sourceFingerprint(root)).toBe(before);
  });
});

describe("isBuildCurrent and recordBuild", () => {
  it("is false without .next/BUILD_ID even with a matching stamp", async () => {
    const fingerprint = await sourceFingerprint(root);
    await mkdir(path.join(root, ".next"));
    await recordBuild(root, fingerprint);
    expect(await isBuildCurrent(root, fingerprint)).toBe(false);
  });

  it("is false with a build but no recorded fingerprint", async () => {
    await write(".next/BUILD_ID", "build-1\n");
    expect(await isBuildCurrent(root, await sourceFingerprint(root))).toBe(false);
  });

  it("is true after recording the build of the current sources", async () => {
    await write(".next/BUILD_ID", "build-1\n");
    const fingerprint = await sourceFingerprint(root);
    await recordBuild(root, fingerprint);
    expect((await readFile(path.join(root, ".next/arbor-build-fingerprint"), "utf8")).trim()).toBe(fingerprint);
    expect(await isBuildCurrent(root, fingerprint)).toBe(true);
  });

  it("is false once a source file changes after the build", async () => {
    await write(".next/BUILD_ID", "build-1\n");
    await recordBuild(root, await sourceFingerprint(root));
    await write("app/page.tsx", "export default function Page() { return 'changed'; }\n");
    expect(await isBuildCurrent(root, await sourceFingerprint(root))).toBe(false);
  });

  it("stays true when only a test file changes after the build", async () => {
    await write(".next/BUILD_ID", "build-1\n");
    await recordBuild(root, await sourceFingerprint(root));
    await write("lib/authz/decide.test.ts", "it('works', () => {});\n");
    expect(await isBuildCurrent(root, await sourceFingerprint(root))).toBe(true);
  });
});
