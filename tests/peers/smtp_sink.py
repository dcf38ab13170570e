"""A real SMTP server for the mail relay's tests (aiosmtpd).

Prints "listening on PORT" once it accepts connections, and appends every message it
takes to OUT as one JSON line: the envelope, and the headers and body as Python's email
parser reads them. While
the file REFUSE exists it refuses each message at DATA with 554, as a server that
rejects mail does.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import socket

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, refuse):
        self.out = out
        self.refuse = refuse

    async def handle_DATA(self, server, session, envelope):
        if self.refuse and os.path.exists(self.refuse):
            return "554 5.7.1 Message refused by the test server"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("html", "plain"))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"] or ""),
            "reply_to": str(message["Reply-To"] or ""),
            "to": str(message["To"] or ""),
            "subject": str(message["Subject"] or ""),
            "content_type": body.get_content_type() if body else "",
            "body": body.get_content() if body else "",
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        return "250 OK kept"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--refuse")
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Sink(args.out, args.refuse), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"listening on {port}", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
