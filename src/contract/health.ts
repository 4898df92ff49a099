// Liveness and readiness replies.
import { Type, type Static } from "typebox";
import { Problem } from "./problem.js";

export const HealthReply = Type.Object({ status: Type.Literal("ok") }, { $id: "HealthReply" });
export type HealthReply = Static<typeof HealthReply>;

export const ReadinessReply = Type.Object(
  {
    status: Type.Literal("ready"),
    database: Type.Literal("ok"),
    migrations: Type.Literal("current"),
  },
  { $id: "ReadinessReply" },
);
export type ReadinessReply = Static<typeof ReadinessReply>;

/** Each thing /readyz checks, named in its 503 reply when it fails. */
export const READINESS_CHECKS = ["database", "database_file", "writable", "disk_space", "migrations"] as const;
export type ReadinessCheck = (typeof READINESS_CHECKS)[number];

export const NotReadyProblem = Type.Object(
  {
    ...Problem.properties,
    // Optional: a request can fail before the checks run (its bearer token could not be looked up
    // because the database is away), and that 503 must still serialize.
    check: Type.Optional(Type.Union(
      READINESS_CHECKS.map((c) => Type.Literal(c)),
      {
        description:
          "The check that failed: database (it does not answer), database_file (the SQLite file was deleted, moved or replaced), " +
          "writable (it cannot be written now), disk_space (its disk is nearly full), migrations (the schema is not current).",
      },
    )),
  },
  { $id: "NotReadyProblem", description: "RFC 9457 problem details naming the readiness check that failed." },
);
export type NotReadyProblem = Problem & { check?: ReadinessCheck };
