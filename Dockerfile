# One image for every process of compose.yaml: each app replica and the proxy run deploy/entrypoint.sh,
# the same script deploy/run-local.sh (and its test, tests/browser/test_replicas_browser.py) runs.
# Not built in this project's CI (no image registry there); see "Run it for many clients" in README.md.
FROM python:3.11-slim

# HAProxy for the proxy role; the PostgreSQL client tools for `python -m audit backup` / `restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends haproxy postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN useradd --create-home --uid 10001 audit \
 && mkdir -p /data \
 && chown audit:audit /data

# SQLite lives here when AUDIT_DATABASE_URL is not set (one replica); with PostgreSQL it stays empty.
ENV AUDIT_DATA_DIR=/data PYTHONUNBUFFERED=1 AUDIT_PORT=8501
VOLUME ["/data"]
USER audit
EXPOSE 8501

HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD python -c "import os, sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ.get('AUDIT_PORT', '8501'), timeout=2).status != 200)"

ENTRYPOINT ["deploy/entrypoint.sh"]
CMD ["app"]
