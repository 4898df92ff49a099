// Queries on the hot path (every code request looks up its session, user and entry), built and
// compiled by Kysely once and then run with new parameters: building and compiling a query costs
// more than SQLite takes to answer it.
import type { CompiledQuery, Kysely } from "kysely";

/**
 * `build` receives a placeholder for the one parameter; the compiled SQL is kept and each call
 * substitutes its own value. The parameter must appear exactly once.
 */
export function preparedLookup<DB, Row>(db: Kysely<DB>, build: (db: Kysely<DB>, parameter: string) => { compile(): CompiledQuery<Row> }) {
  const PLACEHOLDER = "\u0000prepared-parameter\u0000";
  let prepared: { compiled: CompiledQuery<Row>; index: number } | undefined;
  const prepare = () => {
    const compiled = build(db, PLACEHOLDER).compile();
    const index = compiled.parameters.indexOf(PLACEHOLDER);
    if (index === -1 || compiled.parameters.lastIndexOf(PLACEHOLDER) !== index) throw new Error("preparedLookup: the query must use its parameter exactly once");
    return { compiled, index };
  };
  return async (value: string): Promise<Row | undefined> => {
    prepared ??= prepare();
    const { compiled, index } = prepared;
    const parameters = [...compiled.parameters];
    parameters[index] = value;
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows[0];
  };
}
