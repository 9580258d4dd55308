"""Where media files' bytes live (core.ports.MediaStore): a folder now, a bucket later."""
