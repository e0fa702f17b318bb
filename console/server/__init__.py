"""The central server: FastAPI on uvicorn, PostgreSQL in production, SQLite to try it out."""
