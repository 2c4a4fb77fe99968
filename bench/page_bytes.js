// Bytes of one SearchFacts page (FACT_VIEW_FULL) by what they carry: the
// whole page as sent, its claims, each claim field over all its claims,
// the groups' source lists and the copied sentences.
//
//   node bench/page_bytes.js HOST:PORT STORY_ID
//
// Uses the gRPC and protobuf packages of tests/node (npm ci there first).
const path = require('path');
const repo = path.join(__dirname, '..');
const modules = path.join(repo, 'tests', 'node', 'node_modules');
const grpc = require(path.join(modules, '@grpc', 'grpc-js'));
const protobuf = require(path.join(modules, 'protobufjs'));

const [target, story] = process.argv.slice(2);
if (!target || !story) {
  console.error('usage: node bench/page_bytes.js HOST:PORT STORY_ID');
  process.exit(2);
}
const root = new protobuf.Root();
root.resolvePath = (origin, file) => path.join(repo, file);
root.loadSync('protos/crosscheck/v1/crosscheck.proto', {keepCase: true});
const Request = root.lookupType('crosscheck.v1.SearchFactsRequest');
const Page = root.lookupType('crosscheck.v1.SearchFactsResponse');
const Fact = root.lookupType('crosscheck.v1.FactComparison');
const Claim = root.lookupType('crosscheck.v1.Claim');

const client = new grpc.Client(target, grpc.credentials.createInsecure());
const request = Request.encode({story_id: story, page_size: 500}).finish();
const raw = (bytes) => bytes;
client.makeUnaryRequest(
    '/crosscheck.v1.Crosscheck/SearchFacts', raw, raw, Buffer.from(request),
    (err, bytes) => {
      client.close();
      if (err) {
        console.error(`SearchFacts: ${err.message}`);
        process.exit(1);
      }
      const page = Page.decode(bytes);
      const sizes = new Map();
      const add = (what, n) => sizes.set(what, (sizes.get(what) || 0) + n);
      let claims = 0;
      for (const fact of page.facts) {
        add('copies', Fact.encode({copies: fact.copies}).finish().length);
        for (const group of fact.groups) {
          add('groups\' sources',
              Fact.encode({groups: [{sources: group.sources}]})
                      .finish()
                      .length -
                  2);
          for (const claim of group.claims) {
            ++claims;
            add('claims',
                Fact.encode({groups: [{claims: [claim]}]}).finish().length - 2);
            for (const field of Object.keys(claim)) {
              add(`claim.${field}`,
                  Claim.encode(Claim.fromObject({[field]: claim[field]}))
                      .finish()
                      .length);
            }
          }
        }
      }
      console.log(
          `${story}: ${page.facts.length} facts, ${claims} claims, ` +
          `${bytes.length} bytes`);
      for (const [what, n] of [...sizes].sort((a, b) => b[1] - a[1])) {
        const share = (100 * n / bytes.length).toFixed(1);
        console.log(
            `  ${what.padEnd(22)} ${String(n).padStart(8)}  ${share} %`);
      }
    });
