import { DomainError } from "@/lib/errors";
import type { ParameterValues, PriceTable } from "./schemas";

/** A configuration's parameters as stored: every parameter of the price table, each with its checked value. */
export type ResolvedParameters = Record<string, string | number>;

/**
 * Points per day of a configuration with `parameters` under `table`, and the parameters as they are
 * stored. Pure, so that a form can show the price as it is filled in. Every parameter of the table
 * must be given and valid, and nothing else: each mistake is reported under `parameters.<key>`.
 */
export function pointsPerDay(table: PriceTable, parameters: ParameterValues): { points: number; parameters: ResolvedParameters } {
  const errors: Record<string, string[]> = {};
  const resolved: ResolvedParameters = {};
  let additive = table.basePoints;
  let factor = 1;

  for (const parameter of table.parameters) {
    const given = parameters[parameter.key];
    const field = `parameters.${parameter.key}`;
    if (given === undefined || given === "") {
      errors[field] = [`Choose ${parameter.label}.`];
      continue;
    }
    if (parameter.kind === "choice") {
      const choice = parameter.choices.find((candidate) => candidate.value === String(given));
      if (!choice) {
        errors[field] = [`${parameter.label} must be one of ${parameter.choices.map((candidate) => candidate.value).join(", ")}.`];
        continue;
      }
      additive += choice.points;
      factor *= choice.factor;
      resolved[parameter.key] = choice.value;
    } else {
      const units = typeof given === "number" ? given : /^\d+$/.test(given) ? Number(given) : Number.NaN;
      if (!Number.isInteger(units) || units < parameter.min || units > parameter.max || (units - parameter.min) % parameter.step !== 0) {
        const steps = parameter.step > 1 ? ` in steps of ${parameter.step}` : "";
        errors[field] = [`${parameter.label} must be a whole number of ${parameter.unit} from ${parameter.min} to ${parameter.max}${steps}.`];
        continue;
      }
      additive += units * parameter.pointsPerUnit;
      resolved[parameter.key] = units;
    }
  }
  for (const key of Object.keys(parameters)) {
    if (!table.parameters.some((parameter) => parameter.key === key)) errors[`parameters.${key}`] = [`This product has no parameter "${key}".`];
  }

  const fields = Object.keys(errors);
  if (fields.length > 0) throw new DomainError("invalid", errors[fields[0]!]![0]!, { fieldErrors: errors });
  return { points: Math.round(additive * factor * 10_000) / 10_000, parameters: resolved };
}
