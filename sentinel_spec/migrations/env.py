"""Alembic's entry point; all the logic lives in ``sentinel_spec.migrations.environment``."""

from alembic import context

from sentinel_spec.migrations.environment import run_migrations

run_migrations(context.config)
