FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml ./
COPY prep ./prep
COPY accounts ./accounts
COPY questions ./questions
COPY rubrics ./rubrics
COPY rounds ./rounds
COPY scoring ./scoring
RUN pip install .

COPY . .
RUN DEBUG=False SECRET_KEY=collectstatic ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input

RUN useradd --create-home prep
USER prep
EXPOSE 8000
CMD ["gunicorn", "prep.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "4", "--worker-class", "gthread"]
