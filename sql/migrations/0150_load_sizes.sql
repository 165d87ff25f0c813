-- The size of each loaded file (issue 17, no-op runs): a file whose size and
-- effective options match an earlier load is hashed before it is parsed, and
-- recognised without parsing when the hash matches too. A new table keyed by
-- the load id (no ALTER TABLE … ADD COLUMN: issue 15). Loads recorded before
-- this table have no row: they are recognised by the hash taken while
-- parsing, as before.

CREATE TABLE load_sizes (
    load_id   BIGINT PRIMARY KEY,
    file_size BIGINT NOT NULL
);
COMMENT ON TABLE load_sizes IS '入库文件的字节数：大小与选项相同的文件先算哈希，相同则不再解析 / size of each loaded file: a file of the same size and options is hashed before parsing';
