// The JavaScript checker of `make lint`: ESLint's recommended rules over the pages' modules and the
// service worker. Installed from package.json (exact versions) into ./node_modules by the Makefile.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["static/vendor/**", "bench/.lighthouse/**", "node_modules/**", ".venv/**", "mutants/**"] },
  js.configs.recommended,
  // One way to write a string, as in the Python (ruff format): double quotes.
  { rules: { quotes: ["error", "double", { avoidEscape: true }] } },
  {
    files: ["static/js/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
  },
  {
    // A classic script: sw.py puts `const CONFIG = {…};` (the server's cache name, shell and URLs) before it.
    files: ["fieldkit/offline/sw.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.serviceworker, CONFIG: "readonly" },
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
