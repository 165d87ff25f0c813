-- The run history as the scheduler and `innowatch runs` read it. One row per
-- attempt: a scheduled job retried twice has three rows with the same job and
-- scheduled_at and attempts 1, 2, 3; a firing skipped because the job was
-- still running has a row with status 'skipped' and attempts 0.
COMMENT ON COLUMN runs.kind IS '做什么：ingest, build, render, run, 或定时任务的步骤（如 inbox+build+render） / what the run did';
COMMENT ON COLUMN runs.job IS '定时任务名称（手动命令为空） / scheduled job name; NULL for a manual command';
COMMENT ON COLUMN runs.trigger IS '触发方式 cron 定时 / catch-up 补跑 / manual 手动 / why the run started';
COMMENT ON COLUMN runs.scheduled_at IS '计划时间（定时任务的时间槽） / the schedule slot the run belongs to';
COMMENT ON COLUMN runs.attempts IS '第几次尝试（跳过为0） / attempt number of this row; 0 for a skipped firing';
COMMENT ON COLUMN runs.details IS '计数（文件、事实、模型、页面…） / counts: files, facts, models, pages…';

CREATE VIEW run_history AS
SELECT id,
       job,
       kind,
       trigger,
       status,
       scheduled_at,
       started_at,
       finished_at,
       epoch(finished_at) - epoch(started_at) AS seconds,
       attempts AS attempt,
       error,
       details,
       pid,
       host
FROM runs;
COMMENT ON VIEW run_history IS '运行记录（含耗时秒数） / the runs table with the duration in seconds';
