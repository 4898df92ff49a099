// Lint rules: typescript-eslint's recommended type-aware set, plus the few rules the team agreed on.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "test-results/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "error",
      eqeqeq: ["error", "always"],
    },
  },
  {
    // core/ is pure: no environment, no project modules outside core/.
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "core/ never reads the environment; pass values in." }],
    },
  },
  {
    files: ["src/core/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["../*"], message: "core/ imports nothing from outside core/." }] }] },
  },
  {
    files: ["src/core/*/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["../../*"], message: "core/ imports nothing from outside core/." }] }] },
  },
  {
    // Import parsing runs in worker threads; a KDF on libuv's shared thread pool would make sign-in's argon2 wait (export-crypto.ts).
    files: ["src/core/intake/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: ["../../*"], message: "core/ imports nothing from outside core/." }],
          paths: [
            { name: "argon2", message: "Derive keys with export-crypto.ts (deriveArgon2Key): argon2 runs on libuv's shared thread pool." },
            { name: "node:crypto", importNames: ["scrypt", "pbkdf2", "hkdf"], message: "Derive keys with export-crypto.ts: the async KDFs run on libuv's shared thread pool." },
            { name: "crypto", message: "Import node:crypto, and derive keys with export-crypto.ts." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/config.ts", "src/cli/main.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Only src/config.ts (and the CLI entry that hands process.env to it) reads the environment." }],
    },
  },
  {
    files: ["web/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ["**/*.{js,mjs}"],
    languageOptions: { globals: { ...globals.node } },
  },
);
