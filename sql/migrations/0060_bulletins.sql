-- Published monthly bulletins (月报), insert-only. A month is published once
-- (revision 0); a correction is a new row with the next revision and its
-- reason, and the earlier rows stay as they were. Nothing in the product
-- updates or deletes a row of this table: the archive on the site is
-- rewritten from it at every render.
CREATE TABLE bulletins (
    month        VARCHAR NOT NULL CHECK (regexp_full_match(month, '[0-9]{4}-[0-9]{2}')),
    revision     INTEGER NOT NULL CHECK (revision >= 0),
    issue_no     INTEGER NOT NULL CHECK (issue_no > 0),
    title        VARCHAR NOT NULL,
    html         VARCHAR NOT NULL,
    markdown     VARCHAR NOT NULL,
    pdf          BLOB,
    vintage      JSON NOT NULL,
    reason       VARCHAR,
    published_at TIMESTAMPTZ NOT NULL,
    run_id       BIGINT NOT NULL,
    PRIMARY KEY (month, revision),
    CHECK ((revision = 0) = (reason IS NULL))
);
COMMENT ON TABLE bulletins IS '已发布月报（只增不改；修订为新行） / published monthly bulletins, insert-only; a revision is a new row';
COMMENT ON COLUMN bulletins.month IS '月报期别 YYYY-MM（1-N月） / month covered (year-to-date)';
COMMENT ON COLUMN bulletins.revision IS '修订次数（0=原版） / revision, 0 = original';
COMMENT ON COLUMN bulletins.issue_no IS '期号（该年第N期，即月份） / issue number within the year (the month)';
COMMENT ON COLUMN bulletins.title IS '标题 / title';
COMMENT ON COLUMN bulletins.html IS '发布的HTML（自包含，含图表） / the published self-contained HTML';
COMMENT ON COLUMN bulletins.markdown IS '文字稿（Markdown） / the narrative as Markdown text';
COMMENT ON COLUMN bulletins.pdf IS 'PDF（无Chromium时为空） / PDF printed by headless Chromium, NULL when unavailable';
COMMENT ON COLUMN bulletins.vintage IS '所用数据版本（最大vintage、入库批次、来源） / vintage of the facts used: max vintage, load ids, sources';
COMMENT ON COLUMN bulletins.reason IS '修订原因（原版为空） / reason for the revision, NULL for the original';
COMMENT ON COLUMN bulletins.published_at IS '发布时间 / publication time';
COMMENT ON COLUMN bulletins.run_id IS '发布运行号（runs.id） / run that published it';
