"""Settings for `bench_autosave.py --floor`: production settings, URLs from bench_floor_urls."""

from prep.settings import *  # noqa: F403

ROOT_URLCONF = "bench_floor_urls"
