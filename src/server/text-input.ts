// Refuses text the vault must not store before any route sees it: every string of a request's
// JSON body, query string and path parameters (and every property name) is checked once, here,
// by the rule of core/text-characters.ts, and a refusal is a 400 naming the field. Routes added
// later are covered without doing anything.
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { invalidInput, problem, type WatchwordError } from "../core/errors.js";
import { codePointName, describeForbiddenCharacter, findForbiddenCharacter, type TextShape } from "../core/text-characters.js";

/**
 * The request fields whose text spans lines (tabs and line breaks allowed): notes, a pasted
 * setup key or link, a file's base64, and the values of template fields (a key file, say).
 * Every other string is one line.
 */
const MULTI_LINE_FIELDS: ReadonlySet<string> = new Set(["notes", "secret", "uri", "data"]);
const MULTI_LINE_PARENTS: ReadonlySet<string> = new Set(["fields"]);

const shapeOf = (key: string, parentKey: string | undefined): TextShape =>
  MULTI_LINE_FIELDS.has(key) || (parentKey !== undefined && MULTI_LINE_PARENTS.has(parentKey) && !/^\d+$/.test(key)) ? "lines" : "line";

/** Longest field path put into a message: a hostile body can nest deep. */
const MAX_PATH_LENGTH = 120;

interface Pending {
  readonly value: unknown;
  readonly path: string;
  readonly key: string | undefined;
  readonly parentKey: string | undefined;
}

/** Walks a parsed JSON value without recursion (a deeply nested body must not overflow the stack). */
function findTextProblem(root: unknown): WatchwordError | undefined {
  const pending: Pending[] = [{ value: root, path: "", key: undefined, parentKey: undefined }];
  while (pending.length > 0) {
    const { value, path, key, parentKey } = pending.pop()!;
    if (typeof value === "string") {
      const field = path === "" ? "body" : path.length > MAX_PATH_LENGTH ? `${path.slice(0, MAX_PATH_LENGTH)}…` : path;
      const problem = describeForbiddenCharacter(field, value, key === undefined ? "line" : shapeOf(key, parentKey));
      if (problem !== undefined) return invalidInput(problem, field);
    } else if (typeof value === "object" && value !== null && !Buffer.isBuffer(value)) {
      // Pushed last to first, so the first bad field in the request's own order is the one named.
      for (const [childKey, child] of Object.entries(value).reverse()) {
        const childPath = path === "" ? childKey : `${path}.${childKey}`;
        const keyProblem = findForbiddenCharacter(childKey, "line");
        if (keyProblem !== undefined) {
          const character = codePointName(keyProblem);
          return path === ""
            ? invalidInput(problem("text_field_name_forbidden_top", { character }))
            : invalidInput(problem("text_field_name_forbidden", { field: path, character }), path);
        }
        pending.push({ value: child, path: childPath, key: childKey, parentKey: key });
      }
    }
  }
  return undefined;
}

export function registerTextInputCheck(app: FastifyInstance): void {
  app.addHook("preValidation", (request: FastifyRequest, _reply, done) => {
    const problem = findTextProblem(request.params) ?? findTextProblem(request.query) ?? findTextProblem(request.body);
    if (problem === undefined) done();
    else done(problem as Error as FastifyError);
  });
}
