-- Every append moves its accounts' heads: one UPDATE of account_journal per account per request. With full pages
-- none of them could stay in place (HOT), so each also wrote a new primary-key entry. Leave room on each page, as
-- accounts does (migration 0001). Pages written from now on get the room; existing ones as they are rewritten.
ALTER TABLE account_journal SET (fillfactor = 70);
