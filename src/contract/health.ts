import { Type, type Static } from "typebox";

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
