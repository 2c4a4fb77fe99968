// Interop: grpc-js, an implementation independent of the server's, calls a
// real crosscheckd: unary ingest and search, the IngestDocuments and
// WatchFacts streams, status codes, and a call made through server
// reflection alone, as grpcurl would.
//
//   CROSSCHECKD=build/server/crosscheckd node --test tests/node/interop_test.js

'use strict';

const assert = require('node:assert/strict');
const {spawn} = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const {test, before, after} = require('node:test');

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const ROOT = path.resolve(__dirname, '..', '..');
const LOADER_OPTIONS = {keepCase: false, longs: String, enums: String,
                        defaults: true, oneofs: true};

let daemon;
let dataDir;
let address;
let client;

function startDaemon() {
  return new Promise((resolve, reject) => {
    const exe = process.env.CROSSCHECKD;
    assert.ok(exe, 'set CROSSCHECKD to the crosscheckd binary');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-node-'));
    daemon = spawn(exe, ['--listen', '127.0.0.1:0', '--data_dir',
                         path.join(dataDir, 'data')],
                   {stdio: ['ignore', 'pipe', 'ignore']});
    const lines = readline.createInterface({input: daemon.stdout});
    lines.once('line', (line) => {
      const m = /port (\d+)/.exec(line);
      if (m) resolve(`127.0.0.1:${m[1]}`);
      else reject(new Error(`crosscheckd did not start: ${line}`));
    });
    daemon.once('exit', (code) => reject(new Error(`crosscheckd exited ${code}`)));
  });
}

function call(method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, {deadline: Date.now() + 10000},
                   (err, response) => (err ? reject(err) : resolve(response)));
  });
}

function doc(id, source, toll, story = 'flood') {
  return {id, source, published: '2024-07-02', storyId: story,
          text: Buffer.from(`The flood killed ${toll} people in Dhaka on ` +
                            'Monday, officials said.')};
}

before(async () => {
  address = await startDaemon();
  const definition = protoLoader.loadSync(
      'protos/crosscheck/v1/crosscheck.proto',
      {...LOADER_OPTIONS, includeDirs: [ROOT]});
  const v1 = grpc.loadPackageDefinition(definition).crosscheck.v1;
  client = new v1.Crosscheck(address, grpc.credentials.createInsecure());
});

after(() => {
  client.close();
  daemon.kill('SIGTERM');
  fs.rmSync(dataDir, {recursive: true, force: true});
});

test('unary ingest and a search for disputed facts', async () => {
  for (const [id, source, toll] of [['a', 'Daily', 40], ['b', 'Wire', 40],
                                    ['c', 'Post', 52]]) {
    const r = await call('IngestDocument', {document: doc(id, source, toll)});
    assert.equal(r.outcome, 'INGEST_OUTCOME_CREATED');
  }
  const found = await call('SearchFacts', {storyId: 'flood', disputedOnly: true});
  assert.equal(found.facts.length, 1);
  const fact = found.facts[0];
  assert.equal(fact.status, 'FACT_STATUS_DISAGREE');
  const groups = fact.groups.map((g) => `${g.value}:${g.sources.join('+')}`).sort();
  assert.deepEqual(groups, ['40:Daily+Wire', '52:Post']);
});

test('errors carry their status code and message', async () => {
  await assert.rejects(call('GetDocument', {id: 'nope'}), (err) => {
    assert.equal(err.code, grpc.status.NOT_FOUND);
    assert.match(err.details, /no document with id 'nope'/);
    return true;
  });
  await assert.rejects(call('SearchFacts', {pageSize: -1}), (err) => {
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    return true;
  });
});

test('IngestDocuments answers every document, the bad one with its error', async () => {
  const stream = client.IngestDocuments();
  const answers = [];
  const done = new Promise((resolve, reject) => {
    stream.on('data', (a) => answers.push(a));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  for (let i = 0; i < 5; ++i) {
    const d = doc(`s${i}`, `Outlet ${i}`, 30 + (i % 2), 'stream');
    if (i === 2) d.text = Buffer.from([0x42, 0xc3, 0x28]);
    stream.write({document: d});
  }
  stream.end();
  await done;
  assert.deepEqual(answers.map((a) => a.sequence), ['1', '2', '3', '4', '5']);
  assert.equal(answers[2].errorCode, grpc.status.INVALID_ARGUMENT);
  assert.match(answers[2].errorMessage, /not valid UTF-8/);
  assert.equal(answers.filter((a) => a.errorCode === 0).length, 4);
});

test('WatchFacts replays the change log and follows new changes', async () => {
  const stats = await call('GetStats', {});
  const before = Number(stats.lastChangePosition);
  assert.ok(before > 0);
  const seen = [];
  const watch = client.WatchFacts({afterPosition: '0'});
  const finished = new Promise((resolve, reject) => {
    watch.on('data', (change) => {
      seen.push(change);
      if (change.documentId === 'late') watch.cancel();
    });
    watch.on('error', (err) => (err.code === grpc.status.CANCELLED ? resolve() : reject(err)));
    watch.on('end', resolve);
  });
  // A new story with one fact: its appearance is the newest change.
  await call('IngestDocument', {document: doc('late', 'Late', 7, 'late-story')});
  await finished;
  assert.deepEqual(seen.map((c) => Number(c.position)),
                   Array.from({length: before + 1}, (_, i) => i + 1));
  const last = seen[seen.length - 1];
  assert.equal(last.kind, 'FACT_CHANGE_KIND_APPEARED');
  assert.equal(last.storyId, 'late-story');
  assert.equal(last.source, 'Late');
});

// One reflection request on a fresh stream; resolves with the response.
function reflect(reflection, request) {
  return new Promise((resolve, reject) => {
    const stream = reflection.ServerReflectionInfo();
    stream.on('data', (response) => { resolve(response); stream.end(); });
    stream.on('error', reject);
    stream.write(request);
  });
}

// A FileDescriptorSet (field 1, repeated) from serialized FileDescriptorProtos.
function descriptorSet(files) {
  const parts = [];
  for (const file of files) {
    const length = [];
    let n = file.length;
    do {
      length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    parts.push(Buffer.from([0x0a, ...length]), Buffer.from(file));
  }
  return Buffer.concat(parts);
}

test('reflection alone is enough to list the services and call one', async () => {
  const reflectionDefinition = protoLoader.loadSync(
      path.join(__dirname, 'reflection.proto'), LOADER_OPTIONS);
  const Reflection = grpc.loadPackageDefinition(reflectionDefinition)
      .grpc.reflection.v1alpha.ServerReflection;
  const reflection = new Reflection(address, grpc.credentials.createInsecure());

  const listed = await reflect(reflection, {listServices: '*'});
  const names = listed.listServicesResponse.service.map((s) => s.name);
  assert.ok(names.includes('crosscheck.v1.Crosscheck'), names.join(','));
  assert.ok(names.includes('grpc.health.v1.Health'), names.join(','));

  // The file that defines the service; the server sends the files it
  // imports in the same answer.
  const response = await reflect(reflection,
                                 {fileContainingSymbol: 'crosscheck.v1.Crosscheck'});
  assert.ok(response.fileDescriptorResponse, JSON.stringify(response.errorResponse));
  const files = response.fileDescriptorResponse.fileDescriptorProto;
  assert.equal(files.length, 3, 'crosscheck.proto, claims.proto, documents.proto');
  const definition = protoLoader.loadFileDescriptorSetFromBuffer(
      descriptorSet(files), LOADER_OPTIONS);
  const Service = grpc.loadPackageDefinition(definition).crosscheck.v1.Crosscheck;
  const dynamic = new Service(address, grpc.credentials.createInsecure());
  const sources = await new Promise((resolve, reject) => {
    // Descriptors from reflection keep the .proto field names.
    dynamic.ListSources({story_id: 'flood'}, (err, r) => (err ? reject(err) : resolve(r)));
  });
  assert.deepEqual(sources.sources.map((s) => s.source).sort(),
                   ['Daily', 'Post', 'Wire']);
  dynamic.close();
  reflection.close();
});
