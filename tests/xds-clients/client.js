#!/usr/bin/env node
// xDS client driver on @grpc/grpc-js-xds: calls mesh.test.Echo/Call on the target it is given and
// counts which backend answered each call. The line protocol on stdin/stdout is the same as
// client.py's; README.md describes it.
//
//   GRPC_XDS_BOOTSTRAP=bootstrap.json node client.js --target xds:///reviews.bookinfo.svc.cluster.local:9080
//   node client.js --target 127.0.0.1:PORT        (no xDS: straight to one backend, for self-tests)
'use strict';

const path = require('path');
const readline = require('readline');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

function parseArgs(argv) {
  const options = { target: null };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--target') options.target = argv[i + 1];
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!options.target) throw new Error('--target is required');
  return options;
}

const options = parseArgs(process.argv.slice(2));
if (options.target.startsWith('xds:')) require('@grpc/grpc-js-xds').register();

const definition = protoLoader.loadSync(path.join(__dirname, 'echo.proto'), { keepCase: true, defaults: true });
const Echo = grpc.loadPackageDefinition(definition).mesh.test.Echo;
const client = new Echo(options.target, grpc.credentials.createInsecure());
const statusNames = Object.fromEntries(Object.entries(grpc.status).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v, k]));

/** Counts of one run of calls: which backend answered, which status codes failed, the first distinct error texts. */
class Counters {
  constructor() {
    this.backends = {};
    this.errors = {};
    this.errorTexts = [];
    this.errorKeys = new Set();
    this.started = Date.now();
  }

  ok(backend) {
    this.backends[backend] = (this.backends[backend] ?? 0) + 1;
  }

  failed(code, text) {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
    // "Deadline exceeded after 2.001s" and "... after 1.997s" are the same error: compare without numbers.
    const key = text.replace(/[0-9.]+/g, '#');
    if (this.errorTexts.length < 5 && !this.errorKeys.has(key)) {
      this.errorKeys.add(key);
      this.errorTexts.push(text);
    }
  }

  toJSON() {
    return { backends: this.backends, errors: this.errors, errorTexts: this.errorTexts, elapsedMs: Date.now() - this.started };
  }
}

function metadataOf(object) {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(object ?? {})) metadata.add(key.toLowerCase(), String(value));
  return metadata;
}

/** One unary call; resolves (never rejects) to the backend's name, or null after counting the error. */
function callOnce(counters, command) {
  return new Promise((resolve) => {
    const deadline = new Date(Date.now() + (command.deadlineMs ?? 5000));
    try {
      client.Call({ payload: 'ping' }, metadataOf(command.metadata), { deadline }, (error, reply) => {
        if (error) {
          const code = statusNames[error.code] ?? 'UNKNOWN';
          counters.failed(code, `${code}: ${error.details ?? error.message}`);
          resolve(null);
        } else {
          counters.ok(reply.backend);
          resolve(reply.backend);
        }
      });
    } catch (error) {
      counters.failed('DRIVER', `DRIVER: ${error.message}`);
      resolve(null);
    }
  });
}

async function calls(command) {
  const counters = new Counters();
  for (let i = 0; i < (command.count ?? 1); i++) await callOnce(counters, command);
  return counters;
}

// A call that fails at once (no route, no endpoint) would otherwise spin a core that the server
// under test needs; successful calls follow each other with no pause.
const pauseAfterError = () => new Promise((resolve) => setTimeout(resolve, 5));

let background = null;

function start(command) {
  if (background) throw new Error('already calling in the background; send stop first');
  const run = { counters: new Counters(), stopping: false };
  run.done = (async () => {
    while (!run.stopping) {
      if ((await callOnce(run.counters, command)) === null) await pauseAfterError();
    }
  })();
  background = run;
  return { started: true };
}

async function stop() {
  if (!background) throw new Error('not calling in the background; send start first');
  const run = background;
  background = null;
  run.stopping = true;
  await run.done;
  return run.counters;
}

async function until(command) {
  const counters = new Counters();
  const window = command.window ?? 50;
  const timeoutMs = command.timeoutMs ?? 5000;
  const last = [];
  let hits = 0;
  while (Date.now() - counters.started < timeoutMs) {
    const backend = await callOnce(counters, { deadlineMs: Math.min(command.deadlineMs ?? 1000, timeoutMs), ...command });
    if (backend === null) await pauseAfterError();
    last.push(backend);
    if (backend === command.backend) hits++;
    if (last.length > window && last.shift() === command.backend) hits--;
    if (last.length === window && hits / window >= command.minShare) return { reached: true, ...counters.toJSON() };
  }
  return { reached: false, ...counters.toJSON() };
}

async function handle(command) {
  switch (command.cmd) {
    case 'calls': return calls(command);
    case 'start': return start(command);
    case 'stop': return stop();
    case 'until': return until(command);
    default: throw new Error(`unknown cmd ${JSON.stringify(command.cmd)}`);
  }
}

function print(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

// Commands run one after another (a background run started by "start" goes on meanwhile), and each
// gets exactly one reply line, in order.
let queue = Promise.resolve();
const input = readline.createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (!line.trim()) return;
  queue = queue.then(async () => {
    try {
      print(await handle(JSON.parse(line)));
    } catch (error) {
      print({ error: error.message });
    }
  });
});
input.on('close', () => {
  queue.then(() => {
    if (background) background.stopping = true;
    client.close();
    process.exit(0);
  });
});

print({ ready: true });
