import { DatabaseInUseError } from "@/db/client";
import { EnvironmentError } from "@/lib/env";
import { DomainError } from "@/lib/errors";

/** Runs a command's main function and turns known failures into a clear message and exit code. */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof DatabaseInUseError || error instanceof EnvironmentError || error instanceof DomainError) {
        console.error(`arbor: ${error.message}`);
        process.exit(1);
      }
      if (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
        console.error(`arbor: ${error.message}`);
        process.exit(2);
      }
      console.error("arbor: failed:", error);
      process.exit(1);
    },
  );
}
