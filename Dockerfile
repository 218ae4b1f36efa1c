FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs a key but no database; the real key comes from the environment.
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
    && useradd --create-home app && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "rolloutplanner.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
