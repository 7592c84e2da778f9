"""A real SMTP server on loopback for the digest tests (aiosmtpd, Debian's python3-aiosmtpd).

    /usr/bin/python3 smtp-sink.py PORT DIRECTORY

Accepts every message and writes it to DIRECTORY as N.eml (the bytes as received), with N.json beside it
(the envelope: mail_from, rcpt_tos), the .json first and the .eml renamed into place last, so a reader that
sees N.eml sees a whole message. Answers like a mail server that knows some mailboxes:
  - RCPT TO a local part starting with "refused": 550 5.1.1 (a permanent refusal);
  - RCPT TO a local part starting with "busy": 451 4.2.1 the first time, accepted after (a transient one).
Prints "ready" once it listens; stops on SIGTERM or SIGINT.
"""
import itertools
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)
        self.deferred = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("refused"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if local.startswith("busy"):
            with self.lock:
                first = address.lower() not in self.deferred
                self.deferred.add(address.lower())
            if first:
                return "451 4.2.1 <%s>: mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            n = next(self.counter)
        base = os.path.join(self.directory, "%06d" % n)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 queued as %d" % n


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
