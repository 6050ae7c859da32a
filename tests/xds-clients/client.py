#!/usr/bin/python3
"""xDS client driver on gRPC C-core (Debian's python3-grpcio 1.51): calls mesh.test.Echo/Call on
the target it is given and counts which backend answered each call. The line protocol on
stdin/stdout is the same as client.js's; README.md describes it.

Run it with /usr/bin/python3: Debian's grpcio is not visible to other interpreters.

  GRPC_XDS_BOOTSTRAP=bootstrap.json /usr/bin/python3 client.py --target xds:///reviews.bookinfo.svc.cluster.local:9080
  /usr/bin/python3 client.py --target 127.0.0.1:PORT        (no xDS: straight to one backend)
"""
import argparse
import json
import re
import sys
import threading
import time

import grpc


def encode_request(payload):
    """EchoRequest { string payload = 1; } by hand: tag 0x0A, varint length, UTF-8 bytes."""
    data = payload.encode("utf-8")
    out = bytearray([0x0A])
    length = len(data)
    while True:
        byte = length & 0x7F
        length >>= 7
        out.append(byte | (0x80 if length else 0))
        if not length:
            break
    return bytes(out + data)


def read_varint(data, i):
    value, shift = 0, 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def decode_reply(data):
    """EchoReply { string backend = 1; string payload = 2; }; unknown fields are skipped."""
    fields, i = {}, 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, i = read_varint(data, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            length, i = read_varint(data, i)
            if number in (1, 2):
                fields[number] = data[i:i + length].decode("utf-8")
            i += length
        else:
            raise ValueError("unsupported wire type %d" % wire)
    return {"backend": fields.get(1, ""), "payload": fields.get(2, "")}


class Counters:
    """Counts of one run of calls: which backend answered, which status codes failed, the first distinct error texts."""

    def __init__(self):
        self.backends, self.errors, self.error_texts, self._error_keys = {}, {}, [], set()
        self.started = time.monotonic()
        self._lock = threading.Lock()

    def ok(self, backend):
        with self._lock:
            self.backends[backend] = self.backends.get(backend, 0) + 1

    def failed(self, code, text):
        # Error texts that differ only in numbers (durations, ports) are the same error.
        key = re.sub(r"[0-9.]+", "#", text)
        with self._lock:
            self.errors[code] = self.errors.get(code, 0) + 1
            if len(self.error_texts) < 5 and key not in self._error_keys:
                self._error_keys.add(key)
                self.error_texts.append(text)

    def to_json(self):
        with self._lock:
            return {
                "backends": dict(self.backends),
                "errors": dict(self.errors),
                "errorTexts": list(self.error_texts),
                "elapsedMs": int((time.monotonic() - self.started) * 1000),
            }


class Driver:
    def __init__(self, target):
        self.channel = grpc.insecure_channel(target)
        self.call = self.channel.unary_unary(
            "/mesh.test.Echo/Call", request_serializer=encode_request, response_deserializer=decode_reply)
        self.background = None

    def call_once(self, counters, command):
        """One unary call; returns the backend's name, or None after counting the error. Never raises."""
        metadata = [(str(k).lower(), str(v)) for k, v in (command.get("metadata") or {}).items()]
        try:
            deadline_ms = command.get("deadlineMs", 5000)
            # deadlineMs 0: no deadline of the call's own (a route's timeout still applies).
            reply = self.call("ping", timeout=deadline_ms / 1000.0 if deadline_ms > 0 else None, metadata=metadata)
        except grpc.RpcError as error:
            code = error.code().name if error.code() is not None else "UNKNOWN"
            counters.failed(code, "%s: %s" % (code, error.details()))
            return None
        except Exception as error:  # a driver bug must show up as a count, not kill the run
            counters.failed("DRIVER", "DRIVER: %r" % error)
            return None
        counters.ok(reply["backend"])
        return reply["backend"]

    def call_in_loop(self, counters, command):
        backend = self.call_once(counters, command)
        if backend is None:
            # A call that fails at once would otherwise spin a core the server under test needs.
            time.sleep(0.005)
        return backend

    def calls(self, command):
        counters = Counters()
        for _ in range(command.get("count", 1)):
            self.call_once(counters, command)
        return counters.to_json()

    def start(self, command):
        if self.background is not None:
            raise ValueError("already calling in the background; send stop first")
        counters, stopping = Counters(), threading.Event()

        def run():
            while not stopping.is_set():
                self.call_in_loop(counters, command)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self.background = (counters, stopping, thread)
        return {"started": True}

    def stop(self, _command):
        if self.background is None:
            raise ValueError("not calling in the background; send start first")
        counters, stopping, thread = self.background
        self.background = None
        stopping.set()
        thread.join()
        return counters.to_json()

    def until(self, command):
        counters = Counters()
        window, backend = command.get("window", 50), command.get("backend")
        timeout = command.get("timeoutMs", 5000) / 1000.0
        call_command = dict(command)
        call_command.setdefault("deadlineMs", min(1000, command.get("timeoutMs", 5000)))
        last, hits = [], 0
        while time.monotonic() - counters.started < timeout:
            answered = self.call_in_loop(counters, call_command)
            last.append(answered)
            if answered == backend:
                hits += 1
            if len(last) > window and last.pop(0) == backend:
                hits -= 1
            if len(last) == window and hits / window >= command.get("minShare", 1.0):
                return dict(reached=True, **counters.to_json())
        return dict(reached=False, **counters.to_json())

    def handle(self, command):
        handlers = {"calls": self.calls, "start": self.start, "stop": self.stop, "until": self.until}
        handler = handlers.get(command.get("cmd"))
        if handler is None:
            raise ValueError("unknown cmd %s" % json.dumps(command.get("cmd")))
        return handler(command)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    driver = Driver(parser.parse_args().target)
    print(json.dumps({"ready": True}), flush=True)
    # Commands run one after another (a background run started by "start" goes on meanwhile), and
    # each gets exactly one reply line, in order.
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = driver.handle(json.loads(line))
        except Exception as error:
            reply = {"error": str(error)}
        print(json.dumps(reply), flush=True)
    if driver.background is not None:
        driver.background[1].set()
    driver.channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
