"""The embedded SQLite backend: one file, WAL mode, group-committed writes, numbered migrations."""
