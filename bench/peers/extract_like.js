// Runs a peer library over documents the way `crosscheck extract --jsonl
// --mentions` does (JSON Lines in, crosscheck.v1.Claim JSON Lines out), so
// that ../shared/tools/score_specs.py scores peers and Crosscheck alike.
//
//   node extract_like.js chrono|recognizers extract --jsonl --mentions
const readline = require("readline");

const peer = process.argv[2];
const chrono = peer === "chrono" ? require("chrono-node") : null;
const rt = peer === "recognizers" ? require("@microsoft/recognizers-text-suite") : null;

function day(d) {
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
function bytes(text, chars) {
  return Buffer.byteLength(text.slice(0, chars), "utf8");
}
function dayBefore(iso) {
  const d = new Date(iso.slice(0, 10) + "T12:00:00");
  d.setDate(d.getDate() - 1);
  return day(d);
}

function claimsOf(doc) {
  const ref = new Date((doc.published || "2020-01-01").slice(0, 10) + "T12:00:00");
  const out = [];
  const base = (begin, end) => ({
    documentId: doc.id, source: doc.source || "",
    span: { begin: bytes(doc.text, begin), end: bytes(doc.text, end) },
  });
  if (chrono) {
    for (const r of chrono.parse(doc.text, ref)) {
      const start = day(r.start.date());
      const end = r.end ? day(r.end.date()) : start;
      out.push({ ...base(r.index, r.index + r.text.length), kind: "CLAIM_KIND_DATE",
                 date: { start, end } });
    }
  } else {
    for (const r of rt.recognizeDateTime(doc.text, rt.Culture.English, 0, ref)) {
      const values = (r.resolution && r.resolution.values) || [];
      const v = values[0];
      if (!v) continue;
      let start, end;
      if (v.value) { start = end = v.value.slice(0, 10); }
      else if (v.start && v.end) { start = v.start.slice(0, 10); end = dayBefore(v.end); }
      else continue;
      out.push({ ...base(r.start, r.end + 1), kind: "CLAIM_KIND_DATE", date: { start, end } });
    }
    for (const r of rt.recognizeNumber(doc.text, rt.Culture.English)) {
      const value = Number(r.resolution && r.resolution.value);
      if (Number.isNaN(value)) continue;
      out.push({ ...base(r.start, r.end + 1), kind: "CLAIM_KIND_QUANTITY", number: { value } });
    }
  }
  return out;
}

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (!line.trim()) return;
  const doc = JSON.parse(line);
  let claims = [];
  try { claims = claimsOf(doc); } catch (e) { /* a peer's parse error is a miss */ }
  for (const c of claims) process.stdout.write(JSON.stringify(c) + "\n");
});
