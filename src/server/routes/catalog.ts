// Folders and templates.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { CreateFolderRequest, CreateTemplateRequest, Folder, Template } from "../../contract/entries.js";
import { Problem } from "../../contract/problem.js";
import type { CatalogService } from "../../services/catalog.js";
import { actorOf, requireSession } from "../authentication.js";
import { folderOf, templateOf } from "./entry-shapes.js";

const errors = { 400: Problem, 401: Problem, 403: Problem, 409: Problem };

export function registerCatalogRoutes(app: FastifyInstance, deps: { catalog: CatalogService }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { catalog } = deps;

  typed.get("/api/v1/folders", { preHandler: requireSession, schema: { tags: ["folders"], summary: "Folders", response: { 200: Type.Object({ folders: Type.Array(Folder) }), 401: Problem } } }, async (request) => ({
    folders: (await catalog.listFolders(actorOf(request))).map(folderOf),
  }));

  typed.post(
    "/api/v1/folders",
    { preHandler: requireSession, schema: { tags: ["folders"], summary: "Create a folder (administrators)", body: CreateFolderRequest, response: { 201: Folder, ...errors } } },
    async (request, reply) => reply.code(201).send(folderOf(await catalog.createFolder(actorOf(request), request.body.name))),
  );

  typed.get("/api/v1/templates", { preHandler: requireSession, schema: { tags: ["templates"], summary: "Entry templates", response: { 200: Type.Object({ templates: Type.Array(Template) }), 401: Problem } } }, async () => ({
    templates: (await catalog.listTemplates()).map(templateOf),
  }));

  typed.post(
    "/api/v1/templates",
    { preHandler: requireSession, schema: { tags: ["templates"], summary: "Define a template (administrators)", body: CreateTemplateRequest, response: { 201: Template, ...errors } } },
    async (request, reply) => reply.code(201).send(templateOf(await catalog.createTemplate(actorOf(request), request.body))),
  );
}
