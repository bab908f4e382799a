import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { openConfiguredDatabase } from "@/db/client";
import { prepareDatabase } from "@/db/prepare";
import { demoPersonas } from "@/db/seed/demo-data";
import { DEFAULT_DEMO_PASSWORD, readEnvironment, type Environment } from "@/lib/env";
import { isBuildCurrent, recordBuild, sourceFingerprint } from "./build-fingerprint";
import { runCommand } from "./run";

const root = process.cwd();
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const nextEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

async function main(): Promise<number> {
  const env = readEnvironment();
  const demoPassword = env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD;

  const connection = await openConfiguredDatabase();
  let demoAvailable: boolean;
  try {
    const started = Date.now();
    const { seeded, demoPresent } = await prepareDatabase(connection, { seedDemoWhenEmpty: true, demoPassword });
    const usage = seeded?.consumption ? `, ${seeded.consumption.usageRowsCreated} days of entitlement usage` : "";
    const what = seeded ? `, demo data seeded (${seeded.nodesCreated} nodes, ${seeded.usersCreated} users${usage})` : "";
    console.log(`arbor: database ready in ${connection.location}${what} [${Date.now() - started} ms]`);
    demoAvailable = demoPresent;
  } finally {
    await connection.close();
  }

  const fingerprint = await sourceFingerprint(root);
  if (!(await isBuildCurrent(root, fingerprint))) {
    console.log("arbor: building the portal (first start or changed sources; this takes a few minutes)...");
    const code = await run(process.execPath, [nextBin, "build"], nextEnv);
    if (code !== 0) return code;
    await recordBuild(root, fingerprint);
  }

  const serverEnv = { ...nextEnv, AUTH_SECRET: await authSecret(env), AUTH_TRUST_HOST: process.env.AUTH_TRUST_HOST ?? "true" };
  const server = spawn(process.execPath, [nextBin, "start", "--port", String(env.PORT)], { env: serverEnv, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  void announceWhenReady(env.PORT, demoAvailable ? demoPassword : null);
  return new Promise((resolve) => server.on("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1))));
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: "inherit" });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/** AUTH_SECRET from the environment, else one generated once and kept beside the embedded data. */
async function authSecret(env: Environment): Promise<string> {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  const file = path.resolve(env.DATA_DIR, "auth-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function announceWhenReady(port: number, demoPassword: string | null): Promise<void> {
  const url = `http://localhost:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    const ok = await fetch(`${url}/login`).then((response) => response.ok, () => false);
    if (ok) {
      const lines = [``, `Arbor is running at ${url}`, `Sign in at ${url}/login`];
      if (demoPassword) {
        lines.push(`Demo users (password "${demoPassword}"):`);
        for (const { persona, email } of demoPersonas()) lines.push(`  ${persona.padEnd(16)} ${email}`);
        lines.push("Each user's first sign-in sets up two-step verification with any authenticator app (TOTP).");
      }
      console.log(lines.join("\n") + "\n");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

runCommand(main);
