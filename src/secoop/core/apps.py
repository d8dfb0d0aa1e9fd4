from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "secoop.core"
    label = "core"
    verbose_name = "Core: organizations, people, markings, change log"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (registers system checks and home-page items)
        from . import today  # noqa: F401  (registers system checks and home-page items)
        from .db_roles import enable_recursive_triggers
        from .db_roles import grant_after_migrate
        from .related import install_guards

        # A plain read of a marked related record fails under tests (core/related.py).
        install_guards()

        # R-SEC-04: the append-only logs stay append-only (core/db_roles.py).
        connection_created.connect(
            enable_recursive_triggers, dispatch_uid="secoop-recursive-triggers"
        )
        post_migrate.connect(grant_after_migrate, dispatch_uid="secoop-grant-runtime-role")

        # SQLite's search rank, computed from the record's own fields (core/search.py).
        from .search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="secoop-search-rank")
        # A table remade by a later SQLite migration loses its FTS5 triggers: made again.
        from .dbindex import repair_sqlite_full_text

        post_migrate.connect(repair_sqlite_full_text, dispatch_uid="secoop-repair-full-text")
