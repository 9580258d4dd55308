-- The community a chat belongs to (a Discord server for its channels), so a leaderboard can
-- count the whole server. NULL: the chat stands alone (Telegram chats, DMs).
ALTER TABLE chats ADD COLUMN community TEXT;
CREATE INDEX chats_by_community ON chats (platform, community) WHERE community IS NOT NULL;
