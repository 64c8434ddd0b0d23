"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`."""

import multiprocessing
import os

wsgi_app = "qualityweek.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 20000  # a fresh worker starts with an empty page cache
max_requests_jitter = 2000
# Workers fork from a loaded app: restarts are quick and share memory.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# The access log has paths; registration links carry only tokens, never personal data.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
