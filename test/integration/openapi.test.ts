// /api/openapi.json as a script author reads it: every operation documents its errors as
// application/problem+json with an example said from the problem catalogue, every request body
// and reply carries an example that its own schema accepts, and the docs say how to try changes.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBLEM_KEYS, renderProblem, type Problem } from "../../src/contract/problem.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
  security?: unknown[];
}
interface Document {
  info: { description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { description?: string }> };
}

describe("the OpenAPI description", () => {
  let db: TestDatabase;
  let server: TestApp;
  let spec: Document;
  const operations: { name: string; path: string; method: string; operation: Operation }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    spec = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Document;
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) operations.push({ name: `${method.toUpperCase()} ${path}`, path, method, operation });
    }
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  // The document as one schema, so examples validate against the schemas (and $refs) it states.
  let ajv: Ajv2020 | undefined;
  const validatorFor = (pointer: string) => {
    if (ajv === undefined) {
      ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats.default(ajv);
      ajv.addSchema(spec as object, "openapi");
    }
    return ajv.getSchema(`openapi#${pointer}`) ?? ajv.compile({ $ref: `openapi#${pointer}` });
  };
  const escape = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");

  it("lists the operations, folders and templates included", () => {
    expect(operations.length).toBeGreaterThanOrEqual(31);
    expect(operations.map((op) => op.name)).toEqual(expect.arrayContaining(["PATCH /api/v1/folders/{id}", "DELETE /api/v1/folders/{id}", "PUT /api/v1/templates/{id}", "DELETE /api/v1/templates/{id}"]));
  });

  it("documents errors of every operation as application/problem+json, with a catalogued example", () => {
    for (const { name, operation } of operations) {
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      expect(errors.length, name).toBeGreaterThan(0);
      for (const [status, response] of errors) {
        expect(Object.keys(response.content ?? {}), `${name} ${status}`).toEqual(["application/problem+json"]);
        const example = response.content!["application/problem+json"]!.example as Problem;
        expect(example.status, `${name} ${status}`).toBe(Number(status));
        expect(PROBLEM_KEYS, `${name} ${status}`).toContain(example.key);
        expect(example.detail, `${name} ${status}`).toBe(renderProblem({ key: example.key!, params: example.params ?? {} }));
        const valid = validatorFor(`/paths/${escape(name.split(" ")[1]!)}/${name.split(" ")[0]!.toLowerCase()}/responses/${status}/content/application~1problem+json/schema`);
        expect(valid(example), `${name} ${status}: ${JSON.stringify(valid.errors)}`).toBe(true);
      }
    }
  });

  it("shows an upload with nothing importable refused with its rows, each by key", () => {
    const upload = operations.find((op) => op.name === "POST /api/v1/imports")!;
    const example = upload.operation.responses["400"]!.content!["application/problem+json"]!.example as Problem;
    expect(example).toMatchObject({ key: "import_nothing_importable", params: { count: 1 }, rows: [{ index: 0, labelKey: "entry", key: "import_entry_no_otp" }] });
  });

  it("gives every request body and every reply an example that its schema accepts", () => {
    for (const { name, path, method, operation } of operations) {
      const base = `/paths/${escape(path)}/${method}`;
      const body = operation.requestBody?.content["application/json"];
      if (operation.requestBody !== undefined) {
        expect(body?.example, `${name} request`).toBeDefined();
        const valid = validatorFor(`${base}/requestBody/content/application~1json/schema`);
        expect(valid(body?.example), `${name} request: ${JSON.stringify(valid.errors)}`).toBe(true);
      }
      const successes = Object.entries(operation.responses).filter(([status]) => Number(status) < 300);
      expect(successes.length, name).toBeGreaterThan(0);
      for (const [status, response] of successes) {
        const media = response.content?.["application/json"];
        if (status === "204") continue;
        expect(media?.example, `${name} ${status}`).toBeDefined();
        const valid = validatorFor(`${base}/responses/${status}/content/application~1json/schema`);
        expect(valid(media?.example), `${name} ${status}: ${JSON.stringify(valid.errors)}`).toBe(true);
      }
    }
  });

  it("gives a streamed reply's lines examples that its line schema accepts, the verdict last", () => {
    const response = spec.paths["/api/v1/audit/verify"]!.post!.responses["200"]!;
    expect(Object.keys(response.content ?? {}).sort()).toEqual(["application/json", "application/x-ndjson"]);
    const examples = Object.entries(response.content!["application/x-ndjson"]!.examples ?? {});
    expect(examples.map(([name]) => name)).toEqual(["first", "progress", "verdict"]);
    const valid = validatorFor(`/paths/${escape("/api/v1/audit/verify")}/post/responses/200/content/application~1x-ndjson/schema`);
    for (const [name, { value }] of examples) expect(valid(value), `${name}: ${JSON.stringify(valid.errors)}`).toBe(true);
    expect(valid({ checked: "many" })).toBe(false);
  });

  it("says that trying changes needs a bearer token, and how to get one", () => {
    expect(spec.info.description).toMatch(/Changes \(POST, PUT, PATCH, DELETE\)\s+need a bearer token/);
    expect(spec.info.description).toContain('"client": "cli"');
    expect(spec.components.securitySchemes.bearer?.description).toContain('"client": "cli"');
  });

  it("asks no credentials of the operations anyone may call, and a credential of all others", () => {
    const open = operations.filter(({ operation }) => Array.isArray(operation.security) && operation.security.length === 0).map(({ name }) => name);
    expect(open.sort()).toEqual([
      "GET /healthz",
      "GET /readyz",
      "POST /api/v1/auth/sign-in",
      "POST /api/v1/invites/accept",
      "POST /api/v1/invites/status",
      "POST /api/v1/password-resets/complete",
      "POST /api/v1/password-resets/status",
      "POST /api/v1/setup",
      "POST /api/v1/setup/status",
    ]);
  });

  it("serves the interactive docs", async () => {
    expect((await fetch(`${server.url}/api/docs/`)).status).toBe(200);
  });
});
