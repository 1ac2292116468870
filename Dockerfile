# syntax=docker/dockerfile:1
# Tandem image: gunicorn serving tandem.wsgi:app; the same image runs the RQ workers,
# the CronJobs and the migration Job through the `tandem` command (see helm/tandem).
#
#   docker build -t tandem:0.1.0 .
#   docker run --rm -p 8000:8000 -e SECRET_KEY=... -e DATABASE_URL=... -e REDIS_URL=... tandem:0.1.0

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- builder: compile the wheel and install it with its dependencies into /opt/venv ----
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# Only for dependencies that ship no wheel for this platform; none of this reaches the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
COPY pyproject.toml README.md ./
COPY platform ./platform
COPY matching ./matching
COPY reports ./reports

# Build a wheel (hatchling), then install it non-editable: /opt/venv is self-contained.
RUN --mount=type=cache,target=/root/.cache/pip \
    pip wheel --no-deps --wheel-dir /wheels . \
    && pip install /wheels/tandem-*.whl

# ---- runtime: no compilers, no pip cache, not root ----
FROM ${PYTHON_IMAGE} AS runtime

# TANDEM_INSTANCE_DIR: only the SQLite demo writes there, and /tmp is the one writable
# place under Kubernetes' read-only root filesystem.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    TANDEM_MIGRATIONS_DIR=/app/migrations \
    TANDEM_INSTANCE_DIR=/tmp/tandem

# A fixed UID/GID, so that Kubernetes' runAsUser/fsGroup (10001) and file ownership agree.
RUN groupadd --system --gid 10001 tandem \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin tandem

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# Owned by root and read-only for the app user: the code cannot be changed at runtime.
COPY gunicorn.conf.py /app/gunicorn.conf.py
COPY migrations /app/migrations

USER 10001:10001
EXPOSE 8000

CMD ["gunicorn", "-c", "/app/gunicorn.conf.py", "tandem.wsgi:app"]
