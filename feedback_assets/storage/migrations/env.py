"""Alembic environment: runs on the connection the project hands it, or on FEEDBACK_DATABASE_URL."""

from alembic import context

from feedback_assets.storage.db import make_engine
from feedback_assets.storage.schema import metadata

config = context.config


def run_on(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER constraints in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    with make_engine().begin() as own_connection:
        run_on(own_connection)
