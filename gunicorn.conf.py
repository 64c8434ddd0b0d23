"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`."""

import multiprocessing
import os
import re

from gunicorn.config import ControlSocket
from gunicorn.glogging import Logger

from qualityweek.secret_paths import SecretPathFilter, mask

wsgi_app = "qualityweek.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 30
graceful_timeout = 30
keepalive = 5
# Restarting a worker empties its own tier of the page cache (events/caching.py)
# and its database connections: every restart costs the next pages a render. No
# leak is known, and what a worker holds is bounded (QUALITYWEEK_LOCAL_CACHE_BYTES,
# the connection pool), so this is only a safety net: at 1,000 requests/s a
# worker restarts every quarter of an hour, not every half minute as with 20,000.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1_000_000))
max_requests_jitter = max_requests // 20
# Workers fork from a loaded app: restarts are quick and share memory.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# The access log has paths, never query strings (%(r)s would write them): an
# admin search carries an e-mail or a surname. Registration links carry tokens.
# It starts with the time and ends with the request's ID, the X-Request-ID the
# site answers (nginx's $request_id, or the site's own): qualityweek/request_id.py.
access_log_format = (
    '%(t)s %(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'
)


class SecretPathLogger(Logger):
    """gunicorn's logger, with every secret link masked (qualityweek/secret_paths.py).

    Masked in the atoms, not the format: whatever the format writes (the path,
    the request line, the Referer, a header or environ value) is masked. The
    error log's "Error handling request <path>" is masked by the site's filter.
    """

    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(SecretPathFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: mask(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }


logger_class = SecretPathLogger
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn's control socket (for `gunicornc`) has one default path per user: a
# second master on the machine would unlink the first one's socket and take its
# place, and unlink it again when it stops. GUNICORN_CONTROL_SOCKET names the
# socket ("off": none); without it each master gets its own, after its address.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
if _control_socket == "off":
    control_socket_disable = True
elif _control_socket:
    control_socket = _control_socket


def control_socket_for(addresses: list[str]) -> str:
    """Gunicorn's default control socket, renamed after the addresses served."""
    name = re.sub(r"[^A-Za-z0-9.]+", "-", "-".join(addresses)).strip("-")
    return os.path.join(os.path.dirname(ControlSocket.default), f"gunicorn-{name}.ctl")


def on_starting(server):
    # A hook, not a value above: `-b` on the command line changes the address
    # after this file is read (bench/run.py starts gunicorn so).
    if server.cfg.control_socket == ControlSocket.default:
        server.cfg.set("control_socket", control_socket_for(server.cfg.bind))


# A reload (HUP) reads this file again, and would show the default path.
on_reload = on_starting
