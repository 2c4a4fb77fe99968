// Throughput of a peer over the same files Crosscheck's benchmark reads:
// MB/s once warm, single-threaded.
//   node speed.js chrono|recognizers FILE...
const fs = require("fs");
const peer = process.argv[2];
const files = process.argv.slice(3);
const texts = files.map((f) => fs.readFileSync(f, "utf8"));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, "utf8"), 0);
const ref = new Date("2015-12-15T12:00:00");
let run;
if (peer === "chrono") {
  const chrono = require("chrono-node");
  run = () => texts.forEach((t) => chrono.parse(t, ref));
} else {
  const rt = require("@microsoft/recognizers-text-suite");
  run = () => texts.forEach((t) => {
    rt.recognizeDateTime(t, rt.Culture.English, 0, ref);
    rt.recognizeNumber(t, rt.Culture.English);
  });
}
run();  // Warm up.
const minSeconds = Number(process.env.PEER_SECONDS || 3);
let rounds = 0;
const t0 = process.hrtime.bigint();
let elapsed = 0;
while (elapsed < minSeconds) {
  run();
  rounds++;
  elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
}
console.log(JSON.stringify({ peer, bytes_per_round: bytes, rounds, seconds: elapsed,
                             mb_per_s: (bytes * rounds) / elapsed / 1e6 }));
