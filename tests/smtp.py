"""A real SMTP server on loopback (aiosmtpd), to send the site's letters to.

It refuses the mailboxes it is told to with 550 at RCPT, as a server does for an
unknown user, and may stall after the letter's DATA, before its answer: the
letter is then in (it counts as delivered), but the sender never learns it.
"""

import asyncio
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Handler:
    def __init__(self, *, refuse=(), stall: float = 0):
        self.refuse = {address.lower() for address in refuse}
        self.stall = stall
        self.recipients_tried = []  # every RCPT TO, taken or refused
        self.delivered = []  # (addressee, subject) of every letter taken
        self.data_started = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.recipients_tried.append(address)
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        for addressee in envelope.rcpt_tos:
            self.delivered.append((addressee, str(message["Subject"]).strip()))
        self.data_started.set()
        if self.stall:
            await asyncio.sleep(self.stall)
        return "250 2.0.0 Ok: queued"


class SMTPServer:
    def __init__(self, **handler_options):
        self.handler = Handler(**handler_options)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        self.handler.port = self.port
        return self.handler

    def __exit__(self, *exc_info):
        self.controller.stop()


def use_smtp(settings, port: int) -> None:
    """The site's real SMTP backend, to a server on loopback, in plain text."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
