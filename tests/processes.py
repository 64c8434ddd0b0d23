"""Real processes beside the test: what they need to reach its database."""

from django.db import connection


def database_url() -> str:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    user = connection.settings_dict["USER"] or "postgres"
    host = connection.settings_dict["HOST"] or "127.0.0.1"
    port = connection.settings_dict["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{name}"
