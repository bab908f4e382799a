import { PGlite, types, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";

// drizzle's PGlite driver passes the same nine type parsers with every query (identity functions:
// timestamps, dates, intervals and their arrays stay text for drizzle to map), and PGlite merges them
// into a fresh copy of its whole parser table, 318 entries, on each one: about 0.1 ms and a large
// garbage object per statement. This client keeps those parsers in its own table, so a query that
// brings exactly them is run without them, with the same result and no copy.
const keepText = (value: string) => value;
const DRIZZLE_PARSERS = {
  [types.TIMESTAMP]: keepText,
  [types.TIMESTAMPTZ]: keepText,
  [types.INTERVAL]: keepText,
  [types.DATE]: keepText,
  1231: keepText, // numeric[]
  1115: keepText, // timestamp[]
  1185: keepText, // timestamptz[]
  1187: keepText, // interval[]
  1182: keepText, // date[]
};
const DRIZZLE_PARSER_TYPES = Object.keys(DRIZZLE_PARSERS).sort().join();

function withoutDrizzleParsers(options: QueryOptions | undefined): QueryOptions | undefined {
  if (!options?.parsers || Object.keys(options.parsers).sort().join() !== DRIZZLE_PARSER_TYPES) return options;
  const { parsers: _builtIn, ...rest } = options;
  return rest;
}

/** Embedded PostgreSQL for drizzle: PGlite with drizzle's type parsers built in. */
export class DrizzlePGlite extends PGlite {
  /** `dataDir` undefined keeps the database in memory. */
  static async open(dataDir?: string): Promise<DrizzlePGlite> {
    const client = new DrizzlePGlite({ dataDir });
    await client.waitReady;
    return client;
  }

  // PGlite builds the parsers of array types from the database when it starts (and on refresh),
  // over any given to its constructor: drizzle's go in after that.
  override async _initArrayTypes(options?: { force?: boolean }): Promise<void> {
    await super._initArrayTypes(options);
    Object.assign(this.parsers, DRIZZLE_PARSERS);
  }

  override query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return super.query<T>(query, params, withoutDrizzleParsers(options));
  }

  override transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return super.transaction((tx) => {
      const query: Transaction["query"] = (text, params, options) => tx.query(text, params, withoutDrizzleParsers(options));
      return callback(Object.create(tx, { query: { value: query } }) as Transaction);
    });
  }
}
