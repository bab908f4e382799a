// The registry these machines reach has no builds of some platform-specific optional packages
// (macOS, Windows, Android...), so `npm install` leaves them out of package-lock.json and `npm ci`
// then refuses the lock. This adds each missing optional package with the os/cpu its name states,
// so npm skips it here, as it would anyway, and uses it on the platform it is for.
// Run after any `npm install`: node .ci/complete-lockfile.mjs
import { readFileSync, writeFileSync } from "node:fs";

const OS = ["android", "darwin", "freebsd", "linux", "openharmony", "win32", "netbsd", "openbsd", "sunos", "aix"];
const CPU = { arm64: "arm64", x64: "x64", ia32: "ia32", arm: "arm", loong64: "loong64", ppc64: "ppc64", riscv64: "riscv64", s390x: "s390x", wasm32: "wasm32" };

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const added = [];
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`${location}/${key}`]) continue;
    const parts = name.split("/").pop().split("-");
    const cpu = parts.map((part) => CPU[part]).find(Boolean);
    const os = parts.find((part) => OS.includes(part));
    if (!cpu) throw new Error(`cannot tell the platform of ${name}; add its entry by hand`);
    lock.packages[key] = {
      version,
      ...(os ? { os: [os] } : {}),
      cpu: [cpu],
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
    };
    added.push(`${name}@${version}`);
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(added.length ? `added ${added.length} platform packages:\n  ${added.join("\n  ")}` : "lockfile complete");
