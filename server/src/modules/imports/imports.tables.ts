import type { ColumnType, Generated } from 'kysely';

export type ImportJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ImportMappingTable {
  channel: string;
  mapping: ColumnType<unknown, string, string>;
  updated_by: string;
  updated_at: Date;
}

export interface ImportUploadTable {
  id: string;
  file_name: string;
  file_path: string;
  format: 'csv' | 'xlsx';
  size_bytes: number;
  sha256: string;
  created_by: string;
  created_at: Date;
}

export interface ImportJobTable {
  id: string;
  channel: string;
  file_name: string;
  file_sha256: string;
  mapping_sha256: string;
  mapping: ColumnType<unknown, string, string>;
  upload_id: string | null;
  header: Generated<string[]>;
  status: ImportJobStatus;
  size_bytes: number;
  bytes_read: Generated<number>;
  rows_processed: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  merged: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  /** Last file row whose effects are committed (0 = none); a resumed run writes only the rows after it. */
  checkpoint_row: Generated<number>;
  /** Runs started for this job, resumes included. */
  attempts: Generated<number>;
  report: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  created_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface ImportRejectionTable {
  job_id: string;
  row_no: number;
  issues: ColumnType<unknown, string, string>;
  original: ColumnType<unknown, string, string>;
}

declare module '../../platform/db.js' {
  interface DB {
    import_mapping: ImportMappingTable;
    import_upload: ImportUploadTable;
    import_job: ImportJobTable;
    import_rejection: ImportRejectionTable;
  }
}
