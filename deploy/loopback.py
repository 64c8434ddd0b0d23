"""deploy/nginx.conf and deploy/pgbouncer/ rewritten for this machine's loopback.

The cluster test (tests/qualityweek/test_cluster.py) and the benchmark
(bench/run.py --proxy nginx) put the production configuration, unchanged but
for its addresses and paths, in front of gunicorn masters on 127.0.0.1; the
deployment tests (tests/deploy/) put pgbouncer's between them and PostgreSQL.
"""

import getpass
import os
import pwd
import shutil
from pathlib import Path

NGINX_CONF = Path(__file__).resolve().parent / "nginx.conf"
PGBOUNCER_CONF = Path(__file__).resolve().parent / "pgbouncer" / "pgbouncer.ini"
# Debian's nginx and pgbouncer live in /usr/sbin, off a user's PATH.
NGINX = (
    shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    or "/usr/sbin/nginx"
)
PGBOUNCER = (
    shutil.which("pgbouncer", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    or "/usr/sbin/pgbouncer"
)


def replace_once(text: str, old: str, new: str) -> str:
    """The text with `old`, which must be there exactly once, replaced."""
    if text.count(old) != 1:
        raise ValueError(f"deploy/nginx.conf should have {old!r} once")
    return text.replace(old, new)


def nginx_conf(
    directory: Path,
    *,
    listen: int,
    upstreams: list[int],
    access_log: bool = True,
) -> Path:
    """Write the configuration into `directory` and return its path.

    Upstreams become 127.0.0.1 ports (nginx refuses host names it cannot
    resolve); the pid file, the access log (`access.log`, unless turned off),
    temporary files, static files (`staticfiles/`) and media (`media/`) live
    under `directory`, and so do the caches (`cache-pages/`, `cache-media/`).
    The upstream block lists the ports in place of the compose file's two
    masters: one (the benchmark's one host) or more. nginx's workers run as
    the user who writes the configuration: started as root, nginx would hand
    them to "nobody", who cannot enter a private `directory` such as pytest's
    tmp_path (started as anyone else, nginx ignores the line).
    """
    if not upstreams:
        raise ValueError("nginx needs at least one gunicorn master to pass to")
    conf = NGINX_CONF.read_text()
    servers = "".join(
        f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n"
        for port in upstreams
    )
    conf = replace_once(
        conf,
        "        server web1:8000 max_fails=3 fail_timeout=10s;\n"
        "        server web2:8000 max_fails=3 fail_timeout=10s;\n",
        servers,
    )
    conf = replace_once(conf, "listen 8080 ", f"listen 127.0.0.1:{listen} ")
    conf = replace_once(conf, "pid /run/nginx.pid;", f"pid {directory}/nginx.pid;")
    conf = replace_once(
        conf,
        "access_log /dev/stdout qualityweek;",
        f"access_log {directory}/access.log qualityweek;"
        if access_log
        else "access_log off;",
    )
    conf = replace_once(
        conf, "/srv/qualityweek/staticfiles/", f"{directory}/staticfiles/"
    )
    conf = replace_once(conf, "root /srv/qualityweek;", f"root {directory};")
    # nginx makes a cache's own directory, not its parents: /var/cache is there
    # on Debian and in the official image alike, `directory` here.
    conf = conf.replace("/var/cache/qualityweek-nginx-", f"{directory}/cache-")
    temp_paths = "".join(
        f"    {kind}_temp_path {directory}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = replace_once(conf, "http {\n", "http {\n" + temp_paths)
    path = Path(directory) / "nginx.conf"
    path.write_text(f"user {getpass.getuser()};\n" + conf)
    return path


def pgbouncer_conf(
    directory: Path,
    *,
    listen: int,
    database: str,
    user: str,
    server_port: int = 5432,
    pool_size: int | None = None,
    reserve_pool_size: int | None = None,
) -> Path:
    """Write pgbouncer's configuration into `directory` and return its path.

    The one database entry becomes `database` on PostgreSQL at
    127.0.0.1:`server_port`, for `user`, trusted as the test server trusts its
    loopback; pgbouncer listens on 127.0.0.1:`listen` only, with no Unix socket.
    `pool_size` and `reserve_pool_size` replace the server connections per pool
    and the reserve it may add. Run as root, pgbouncer (which refuses root)
    becomes the system's `postgres` user, or `nobody` where there is none.
    """
    conf = PGBOUNCER_CONF.read_text()
    conf = replace_once(
        conf,
        "qualityweek = host=db port=5432 dbname=qualityweek\n",
        f"{database} = host=127.0.0.1 port={server_port} dbname={database}\n",
    )
    conf = replace_once(conf, "listen_addr = 0.0.0.0\n", "listen_addr = 127.0.0.1\n")
    conf = replace_once(conf, "listen_port = 6432\n", f"listen_port = {listen}\n")
    conf = replace_once(conf, "auth_type = scram-sha-256\n", "auth_type = trust\n")
    conf = replace_once(
        conf,
        "auth_file = /etc/pgbouncer/userlist.txt\n",
        f"auth_file = {directory}/userlist.txt\nunix_socket_dir =\n"
        + (f"user = {unprivileged_user()}\n" if os.geteuid() == 0 else ""),
    )
    if pool_size is not None:
        conf = replace_once(
            conf, "default_pool_size = 80\n", f"default_pool_size = {pool_size}\n"
        )
    if reserve_pool_size is not None:
        conf = replace_once(
            conf,
            "reserve_pool_size = 5\n",
            f"reserve_pool_size = {reserve_pool_size}\n",
        )
    (Path(directory) / "userlist.txt").write_text(f'"{user}" ""\n')
    path = Path(directory) / "pgbouncer.ini"
    path.write_text(conf)
    return path


def unprivileged_user() -> str:
    """The system user a root-started pgbouncer runs as."""
    try:
        return pwd.getpwnam("postgres").pw_name
    except KeyError:
        return "nobody"
