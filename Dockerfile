FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PYTHONPATH=/app
WORKDIR /app

# The dependencies alone, exactly as locked: this layer is rebuilt only when the lock changes.
COPY requirements.txt ./
RUN pip install --require-hashes --no-deps -r requirements.txt

# Then the source (PYTHONPATH finds it: gunicorn, celery and manage.py all run from /app).
COPY . .
RUN DEBUG=False SECRET_KEY=collectstatic ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input

RUN useradd --create-home prep
USER prep
EXPOSE 8000
CMD ["gunicorn", "prep.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "4", "--worker-class", "gthread"]
