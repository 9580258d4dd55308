-- The id a chat platform gave a file a bot uploaded (Telegram's file_id): the next time the file
-- is sent by it instead of uploaded again, after a restart and from every worker. An id is valid
-- only for the bot that uploaded it, so it is kept under the bot ('telegram:' and its id) and
-- the file's content (the media store's content id, or a drawn formula's SHA-256).
CREATE TABLE uploaded_files (
    bot TEXT NOT NULL,
    content_key TEXT NOT NULL,
    file_id TEXT NOT NULL,
    PRIMARY KEY (bot, content_key)
);
