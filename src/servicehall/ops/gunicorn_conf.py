"""The shipped gunicorn settings: `gunicorn -c python:servicehall.ops.gunicorn_conf servicehall.wsgi`.

Threaded workers (gthread) on purpose: a hall display holds its Server-Sent Events stream open for a minute,
and with sync workers five displays would hold every worker while citizens wait for a ticket. With threads
a stream holds one thread of one worker. The sizes come from the environment file (deploy/servicehall.env.example)
so the systemd unit, the deployment test and the load test all start the same server.
"""

from __future__ import annotations

import os

bind = os.environ.get("SERVICEHALL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SERVICEHALL_WORKERS", "3"))
threads = int(os.environ.get("SERVICEHALL_THREADS", "8"))
worker_class = "gthread"
# A request that takes a minute is stuck (the display streams end by themselves well before this).
timeout = 120
graceful_timeout = 20
keepalive = 5
# Load the application once in the master: a broken installation (no static manifest, bad settings)
# stops the start with its message instead of workers dying in a loop.
preload_app = True
accesslog = os.environ.get("SERVICEHALL_ACCESS_LOG") or None
errorlog = "-"
