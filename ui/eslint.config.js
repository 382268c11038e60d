// Lint rules for the UI: typescript-eslint's recommended set, the rules of
// hooks, and house rules: only src/api/ may import @tauri-apps/*, and no
// user-visible text skips the i18n layer (i18next's no-literal-string on JSX
// text, and no literal words in the attributes people read or hear).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import i18next from "eslint-plugin-i18next";
import globals from "globals";

/** Attributes whose text people read or hear: aria/title/alt/placeholder, and the app's own label props. */
const SPOKEN_ATTRIBUTES =
  "^(aria-label|aria-description|aria-valuetext|title|alt|placeholder|label|searchLabel|hint|error|empty|what|header|confirmLabel|busyLabel|cancelLabel)$";

export default tseslint.config(
  { ignores: ["dist", "node_modules", "src/bindings"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "react-hooks/set-state-in-effect": "off",
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@tauri-apps/*"], message: "Only ui/src/api/ talks to Tauri." }] },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // Every string shown goes through t(). Tests assert English text; the
    // generated bindings hold none. The till (features/till) joins once its
    // strings are converted.
    files: ["src/**/*.tsx"],
    ignores: ["src/**/*.test.tsx", "src/test-utils.tsx", "src/bindings/**", "src/features/till/**"],
    plugins: { i18next },
    rules: {
      // JSX text only: class names, data-* values and request fields are not flagged. Key names in <Kbd> stay as printed on keyboards.
      "i18next/no-literal-string": ["error", { mode: "jsx-text-only", "jsx-components": { exclude: ["Trans", "Kbd"] } }],
      "no-restricted-syntax": [
        "error",
        {
          selector: `JSXAttribute[name.name=/${SPOKEN_ATTRIBUTES}/] > Literal[value=/[A-Za-z]/]`,
          message: "Text people read or hear goes through t().",
        },
        {
          selector: `JSXAttribute[name.name=/${SPOKEN_ATTRIBUTES}/] > JSXExpressionContainer > TemplateLiteral`,
          message: "Text people read or hear goes through t() (interpolate with t's options, not a template).",
        },
      ],
    },
  },
  {
    // The client itself, and tests that mock the IPC underneath it.
    files: ["src/api/**/*.ts", "src/**/*.test.{ts,tsx}", "src/test/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["e2e/**/*.ts", "*.config.ts", "*.config.js"],
    languageOptions: { globals: globals.node },
  },
);
