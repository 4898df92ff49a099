import Fastify from "fastify";
import { Type } from "typebox";
import { describe, expect, it } from "vitest";
import { cachingSerializerFactory } from "../../../src/server/serializer-cache.js";

const Problem = Type.Object({ status: Type.Integer(), key: Type.String() });
const Item = Type.Object({ id: Type.String() });

describe("cachingSerializerFactory", () => {
  it("compiles a schema object once, whichever routes and statuses name it", () => {
    const compile = cachingSerializerFactory()(undefined, {});
    const first = compile({ schema: Problem, method: "GET", url: "/a", httpStatus: "404" });
    const second = compile({ schema: Problem, method: "POST", url: "/b", httpStatus: "409" });
    const other = compile({ schema: Item, method: "GET", url: "/a", httpStatus: "200" });
    expect(second).toBe(first);
    expect(other).not.toBe(first);
    // Each serializer is its own schema's: only the properties it names go out.
    expect(first({ status: 404, key: "entry_not_found", seed: "JBSWY3DPEHPK3PXP" })).toBe('{"status":404,"key":"entry_not_found"}');
    expect(other({ id: "e1", key: "x" })).toBe('{"id":"e1"}');
  });

  it("keeps each set of shared schemas apart", () => {
    const factory = cachingSerializerFactory();
    const a = factory(undefined, {})({ schema: Item, method: "GET", url: "/", httpStatus: "200" });
    const b = factory(undefined, {})({ schema: Item, method: "GET", url: "/", httpStatus: "200" });
    expect(b).not.toBe(a);
  });

  it("serves Fastify replies on every route that shares a schema", async () => {
    const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: cachingSerializerFactory() } } });
    const errors = { 404: Problem } as const;
    app.get("/a", { schema: { response: { 200: Item, ...errors } } }, async (_request, reply) => reply.code(404).send({ status: 404, key: "a_missing", extra: 1 }));
    app.get("/b", { schema: { response: { 200: Item, ...errors } } }, async () => ({ id: "b1", secret: "hidden" }));
    const a = await app.inject({ url: "/a" });
    const b = await app.inject({ url: "/b" });
    expect([a.statusCode, a.body]).toEqual([404, '{"status":404,"key":"a_missing"}']);
    expect([b.statusCode, b.body]).toEqual([200, '{"id":"b1"}']);
    await app.close();
  });
});
