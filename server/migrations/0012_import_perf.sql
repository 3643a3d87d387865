-- Import throughput and crash recovery (issue 7): cleaned rows are COPYed into an
-- UNLOGGED staging table per job (created and dropped by the service, named
-- import_stage_<job id hex>) and merged set-based into customer, one chunk a
-- transaction. Each chunk's transaction also advances the job's checkpoint: the
-- last file row whose effects are committed. A job that was running when the
-- server died is resumed at start: the file is cleaned again from the top (to
-- rebuild the in-file duplicate state) but only rows after the checkpoint are
-- written, so totals and rejected rows are neither lost nor counted twice.
ALTER TABLE import_job
  ADD COLUMN checkpoint_row integer NOT NULL DEFAULT 0,
  ADD COLUMN attempts       integer NOT NULL DEFAULT 0;
