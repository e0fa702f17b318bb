"""SQLAlchemy 2 schema shared by the console's SQLite and the server's PostgreSQL."""
