#!/usr/bin/env node
// A real gRPC backend for the xDS client tests: serves mesh.test.Echo on 127.0.0.1 and answers
// with its own name, so a test can count which backend each call reached.
//
//   node backend.js --name v1 --port 0 [--fail-rate 0.5] [--delay-ms 20] [--host 127.0.0.1]
//
// Prints {"ready":true,"port":N} once listening. Each line on stdin is a JSON command, answered by
// one JSON line on stdout:
//   {"failRate":0.5,"delayMs":10}  (either field alone is fine) -> {"ok":true,"failRate":..,"delayMs":..}
//   {"cmd":"stats"}                                             -> {"calls":N,"failed":N,"streams":N}
// Exits 0 when stdin closes.
'use strict';

const path = require('path');
const readline = require('readline');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

function parseArgs(argv) {
  const options = { name: 'backend', port: 0, host: '127.0.0.1', failRate: 0, delayMs: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--name': options.name = value; break;
      case '--port': options.port = Number(value); break;
      case '--host': options.host = value; break;
      case '--fail-rate': options.failRate = Number(value); break;
      case '--delay-ms': options.delayMs = Number(value); break;
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const stats = { calls: 0, failed: 0, streams: 0 };
// Failures are spread evenly and deterministically: with failRate 0.5 every other call fails,
// with 0.25 every fourth, and so on, so counts in tests are exact rather than statistical.
let failDebt = 0;

function shouldFail() {
  failDebt += options.failRate;
  if (failDebt >= 1 - 1e-9) {
    failDebt -= 1;
    return true;
  }
  return false;
}

function later(action) {
  if (options.delayMs > 0) setTimeout(action, options.delayMs);
  else setImmediate(action);
}

function unavailable() {
  return { code: grpc.status.UNAVAILABLE, details: `backend ${options.name} failed this call on purpose` };
}

const definition = protoLoader.loadSync(path.join(__dirname, 'echo.proto'), { keepCase: true, defaults: true });
const echo = grpc.loadPackageDefinition(definition).mesh.test.Echo;

const server = new grpc.Server();
server.addService(echo.service, {
  Call(call, callback) {
    stats.calls++;
    const fail = shouldFail();
    if (fail) stats.failed++;
    later(() => (fail ? callback(unavailable()) : callback(null, { backend: options.name, payload: call.request.payload })));
  },
  Stream(call) {
    stats.streams++;
    const fail = shouldFail();
    if (fail) stats.failed++;
    later(() => {
      if (fail) {
        call.emit('error', unavailable());
        return;
      }
      for (let i = 0; i < 3; i++) call.write({ backend: options.name, payload: call.request.payload });
      call.end();
    });
  },
});

function print(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

server.bindAsync(`${options.host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    process.stderr.write(`backend ${options.name}: cannot listen: ${error.message}\n`);
    process.exit(1);
  }
  print({ ready: true, port });
  // Commands are read only once listening, so that "ready" is always the first line.
  const input = readline.createInterface({ input: process.stdin });
  input.on('line', onCommand);
  input.on('close', () => {
    server.forceShutdown();
    process.exit(0);
  });
});

function onCommand(line) {
  if (!line.trim()) return;
  let command;
  try {
    command = JSON.parse(line);
  } catch (error) {
    print({ error: `not JSON: ${error.message}` });
    return;
  }
  if (command.cmd === 'stats') {
    print(stats);
    return;
  }
  if (typeof command.failRate === 'number') options.failRate = command.failRate;
  if (typeof command.delayMs === 'number') options.delayMs = command.delayMs;
  failDebt = 0;
  print({ ok: true, failRate: options.failRate, delayMs: options.delayMs });
}
