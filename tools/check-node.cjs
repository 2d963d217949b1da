// Stop in one line when this Node.js is too old for the frontend's tools, before `npm ci`
// fails somewhere inside them. The rule is `engines.node` in frontend/package.json (the
// strictest range among Vite, Vitest and ESLint); any npm that comes with such a Node will do.
// CommonJS and old syntax on purpose: it has to run on the old Node it is about to refuse.
"use strict";

var path = require("path");
var range = require(path.join(__dirname, "..", "frontend", "package.json"))
  .engines.node;

function parts(version) {
  return version
    .replace(/^v/, "")
    .split(".")
    .map(function (n) {
      return parseInt(n, 10) || 0;
    })
    .concat([0, 0, 0])
    .slice(0, 3);
}

function compare(a, b) {
  for (var i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// Understands the two forms engines uses here: "^20.19.0" and ">=24".
function satisfies(version, alternative) {
  var have = parts(version);
  var spec = alternative.trim();
  if (spec.indexOf(">=") === 0) return compare(have, parts(spec.slice(2))) >= 0;
  if (spec.indexOf("^") === 0) {
    var want = parts(spec.slice(1));
    return have[0] === want[0] && compare(have, want) >= 0;
  }
  throw new Error("tools/check-node.cjs cannot read the range " + spec);
}

var ok = range.split("||").some(function (alternative) {
  return satisfies(process.version, alternative);
});
if (!ok) {
  console.error(
    "Node.js " +
      process.version +
      " cannot run this project's tools (Vite 8 and ESLint 10 need " +
      range +
      "): install Node 22 (nvm install, which reads .nvmrc; or https://nodejs.org).",
  );
  process.exit(1);
}
