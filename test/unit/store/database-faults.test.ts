// Which database errors become `unavailable`, and that the sentence a person reads names nothing
// of the error it came from.
import { describe, expect, it } from "vitest";
import { isWatchwordError } from "../../../src/core/errors.js";
import { renderProblem } from "../../../src/core/problems/catalogue.js";
import { DATABASE_BUSY, DATABASE_UNREACHABLE, databaseFaultOf } from "../../../src/store/database-faults.js";

const pgError = (code: string, message = "some server message") => Object.assign(new Error(message), { code, severity: "ERROR" });

describe("database faults", () => {
  it.each([
    ["57P01", "terminating connection due to administrator command"],
    ["57P02", "terminating connection because of crash of another server process"],
    ["57P03", "the database system is starting up"],
    ["08006", "connection failure"],
    ["08P01", "protocol violation"],
    ["53300", "sorry, too many clients already"],
    ["25P03", "terminating connection due to idle-in-transaction timeout"],
  ])("says the database cannot be reached for SQLSTATE %s", (code, message) => {
    const fault = databaseFaultOf(pgError(code, message));
    expect(isWatchwordError(fault) && fault.code).toBe("unavailable");
    expect(fault?.message).toBe(renderProblem(DATABASE_UNREACHABLE));
  });

  it.each([
    ["55P03", "canceling statement due to lock timeout"],
    ["57014", "canceling statement due to statement timeout"],
    ["40001", "could not serialize access due to concurrent update"],
    ["40P01", "deadlock detected"],
  ])("says the database is busy for SQLSTATE %s", (code, message) => {
    const fault = databaseFaultOf(pgError(code, message));
    expect(fault?.code).toBe("unavailable");
    expect(fault?.message).toBe(renderProblem(DATABASE_BUSY));
  });

  it.each(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"])("says the database cannot be reached for socket error %s", (code) => {
    expect(databaseFaultOf(Object.assign(new Error(`connect ${code} 10.0.0.1:5432`), { code }))?.message).toBe(renderProblem(DATABASE_UNREACHABLE));
  });

  it.each(["Connection terminated unexpectedly", "Connection terminated due to connection timeout", "timeout exceeded when trying to connect", "Client has encountered a connection error and is not queryable"])(
    "says the database cannot be reached when pg says %j",
    (message) => {
      expect(databaseFaultOf(new Error(message))?.message).toBe(renderProblem(DATABASE_UNREACHABLE));
    },
  );

  it("looks inside the AggregateError of a host whose every address refused", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED ::1:5432"), { code: "ECONNREFUSED" });
    expect(databaseFaultOf(new AggregateError([refused, refused]))?.message).toBe(renderProblem(DATABASE_UNREACHABLE));
  });

  it("leaves every other error alone: constraint violations, syntax errors, programming errors", () => {
    for (const error of [pgError("23505", "duplicate key value"), pgError("42601", "syntax error"), pgError("22P02"), new TypeError("x is undefined"), "a string", null, undefined]) {
      expect(databaseFaultOf(error)).toBeUndefined();
    }
  });

  it("never carries the original message, which may name a host, a user or a statement", () => {
    const fault = databaseFaultOf(pgError("08001", 'could not connect to "db.internal" as user "vault" with password s3cret-Pw'));
    expect(fault?.message).not.toMatch(/s3cret|db\.internal|vault/);
    expect(JSON.stringify(fault)).not.toMatch(/s3cret/);
  });
});
