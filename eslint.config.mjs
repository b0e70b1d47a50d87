import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "docs/", "out/"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "off",
      // With noUncheckedIndexedAccess, `!` after a lookup that the plan guarantees is clearer than a guard.
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);
