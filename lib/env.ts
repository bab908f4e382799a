import { z } from "zod";

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const environmentSchema = z.object({
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string"),
  ),
  DATA_DIR: optional(z.string()).transform((value) => value ?? "./data"),
  PORT: optional(
    z
      .string()
      .trim()
      .regex(/^\d+$/, "must be a port number")
      .transform(Number)
      .pipe(z.number().min(1, "must be a port from 1 to 65535").max(65535, "must be a port from 1 to 65535")),
  ).transform((value) => value ?? 3000),
  AUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 33)")),
  DEMO_PASSWORD: optional(z.string().min(12, "must be at least 12 characters")),
  SMTP_URL: optional(z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")),
  MAIL_FROM: optional(z.string().min(3)).transform((value) => value ?? "Arbor <no-reply@arbor.localhost>"),
  /** The portal's public address, for links in mail; defaults to the request's own origin. */
  APP_URL: optional(z.string().url("must be a URL such as https://portal.example.com")),
});

export type Environment = z.infer<typeof environmentSchema>;

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvironmentError";
  }
}

/** Reads and validates Arbor's environment variables; throws one error listing every problem. */
export function readEnvironment(source: Record<string, string | undefined> = process.env): Environment {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvironmentError(parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
  }
  return parsed.data;
}

/** The password given to every demo user; printed at start, never used outside demo data. */
export const DEFAULT_DEMO_PASSWORD = "northwind-demo-2026";
