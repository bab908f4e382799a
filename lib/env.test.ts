import { describe, expect, it } from "vitest";
import { EnvironmentError, readEnvironment } from "./env";

const SECRET = "x".repeat(32);

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    readEnvironment(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return (error as EnvironmentError).problems;
  }
  throw new Error("readEnvironment accepted an invalid environment");
}

describe("readEnvironment", () => {
  it("defaults DATA_DIR and PORT and leaves the rest unset", () => {
    const env = readEnvironment({});
    expect(env.DATA_DIR).toBe("./data");
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.AUTH_SECRET).toBeUndefined();
    expect(env.DEMO_PASSWORD).toBeUndefined();
  });

  it("treats empty strings as unset", () => {
    const env = readEnvironment({ DATABASE_URL: "", DATA_DIR: "", PORT: "", AUTH_SECRET: "", DEMO_PASSWORD: "" });
    expect(env.DATA_DIR).toBe("./data");
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.AUTH_SECRET).toBeUndefined();
    expect(env.DEMO_PASSWORD).toBeUndefined();
  });

  it("reads valid values", () => {
    const env = readEnvironment({
      DATABASE_URL: "postgresql://arbor:pw@db:5432/arbor",
      DATA_DIR: "/var/lib/arbor",
      PORT: "8080",
      AUTH_SECRET: SECRET,
      DEMO_PASSWORD: "a-long-demo-pass",
      SMTP_URL: "smtp://mailer:pw@mail.example.com:587",
      MAIL_FROM: "Portal <portal@example.com>",
      APP_URL: "https://portal.example.com",
    });
    expect(env).toEqual({
      DATABASE_URL: "postgresql://arbor:pw@db:5432/arbor",
      DATA_DIR: "/var/lib/arbor",
      PORT: 8080,
      AUTH_SECRET: SECRET,
      DEMO_PASSWORD: "a-long-demo-pass",
      SMTP_URL: "smtp://mailer:pw@mail.example.com:587",
      MAIL_FROM: "Portal <portal@example.com>",
      APP_URL: "https://portal.example.com",
    });
    expect(readEnvironment({ DATABASE_URL: "postgres://localhost/arbor" }).DATABASE_URL).toBe("postgres://localhost/arbor");
  });

  it("ignores variables it does not know", () => {
    expect(readEnvironment({ HOME: "/root", PATH: "/usr/bin" })).toEqual({ DATA_DIR: "./data", PORT: 3000, MAIL_FROM: "Arbor <no-reply@arbor.localhost>" });
  });

  it.each([
    ["SMTP_URL", "mail.example.com:25"],
    ["SMTP_URL", "http://mail.example.com"],
    ["APP_URL", "portal.example.com"],
  ])("refuses %s=%s", (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} `));
  });

  it.each(["abc", "0", "65536", "3.5", "-1"])("refuses PORT=%s", (port) => {
    const problems = problemsOf({ PORT: port });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT /);
  });

  it.each(["1", "65535"])("accepts PORT=%s", (port) => {
    expect(readEnvironment({ PORT: port }).PORT).toBe(Number(port));
  });

  it.each(["mysql://localhost/arbor", "localhost:5432", "file:./data"])("refuses DATABASE_URL=%s", (url) => {
    const problems = problemsOf({ DATABASE_URL: url });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL .*postgres/)]);
  });

  it("refuses an AUTH_SECRET shorter than 32 characters", () => {
    expect(problemsOf({ AUTH_SECRET: "x".repeat(31) })).toEqual([expect.stringMatching(/^AUTH_SECRET .*32/)]);
    expect(readEnvironment({ AUTH_SECRET: SECRET }).AUTH_SECRET).toBe(SECRET);
  });

  it("refuses a DEMO_PASSWORD shorter than 12 characters", () => {
    expect(problemsOf({ DEMO_PASSWORD: "short" })).toEqual([expect.stringMatching(/^DEMO_PASSWORD .*12/)]);
  });

  it("lists every problem in one error", () => {
    let caught: unknown;
    try {
      readEnvironment({ PORT: "not-a-port", DATABASE_URL: "mysql://db/arbor", AUTH_SECRET: "too-short" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvironmentError);
    const error = caught as EnvironmentError;
    expect(error.name).toBe("EnvironmentError");
    expect(error.problems).toHaveLength(3);
    for (const name of ["PORT", "DATABASE_URL", "AUTH_SECRET"]) {
      expect(error.problems.some((problem) => problem.startsWith(`${name} `)), name).toBe(true);
      expect(error.message).toContain(name);
    }
  });
});
