// Lint (typescript-eslint, type-aware): the rules that catch what the compiler does not — a switch
// that misses a case of its union, a promise nobody awaits or handles, a promise where a callback
// must return nothing. Formatting is Prettier's (.prettierrc.json), not a lint rule.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "data/**", ".tmp/**", "console/dist/**", "**/*.mjs", "**/*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // `_name`: a value taken apart and deliberately left unused (`{ $schema: _ignored, ...rest }`).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // The engine's rules run once per event: object spreads there (`{ ...common, kind }`) made the
    // engine take 1.6× as long over 1M events (docs/scaling.md, "Postings without spreads").
    files: ["domain/engine/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ObjectExpression > SpreadElement",
          message: "name every field: postings built with object spreads made the engine take 1.6× as long (docs/scaling.md)",
        },
      ],
    },
  },
  {
    // Tests read JSON answers whose shape each assertion states; typing every body adds nothing.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
