// Parse citations with citation-js (an independent parser) for tests/test_citations.py.
// stdin: JSON list of {"format": "bibtex" | "ris" | "csl", "text": "..."};
// stdout: JSON list of CSL-JSON item lists, one per input, or {"error": "..."}.
"use strict";
const { Cite, plugins } = require("@citation-js/core");
require("@citation-js/plugin-bibtex");
require("@citation-js/plugin-ris");
require("@citation-js/plugin-csl");

const FORMATS = { bibtex: "@bibtex/text", ris: "@ris/file", csl: "@csl/list+object" };

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(({ format, text }) => {
    try {
      const data = format === "csl" ? JSON.parse(text) : text;
      return new Cite(data, { forceType: FORMATS[format] }).data;
    } catch (error) {
      return { error: String(error) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
