"""Where classes and saved runs last: SQLAlchemy over SQLite (a local file, the default) or
PostgreSQL (several app processes behind a load balancer), chosen by FFNVIZ_DATABASE_URL."""
