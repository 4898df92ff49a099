// Fastify compiles a response serializer for every route and status, and fast-json-stringify first
// checks each schema against the JSON Schema meta-schema: with some 170 routes whose error replies
// share the same few TypeBox objects (Problem, the common error sets), that was 2.7 of the
// server's 5.5 s to listen. The serializer depends only on the schema and the options (Fastify's
// own compiler ignores the route's method, URL and status), so one serializer per schema object
// serves every route that names it. Neither Fastify nor the compiler package offers such a cache.
import { SerializerSelector } from "@fastify/fast-json-stringify-compiler";

type SerializerFactory = ReturnType<typeof SerializerSelector>;

/** Fastify's default serializer factory, compiling each distinct schema object once. */
export function cachingSerializerFactory(): SerializerFactory {
  const buildFactory = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = buildFactory(externalSchemas, options);
    const compiled = new WeakMap<object, ReturnType<typeof compile>>();
    return (route) => {
      const { schema } = route;
      if (typeof schema !== "object" || schema === null) return compile(route);
      let serializer = compiled.get(schema);
      if (serializer === undefined) {
        serializer = compile(route);
        compiled.set(schema, serializer);
      }
      return serializer;
    };
  };
}
