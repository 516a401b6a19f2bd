-- Rows of {table} that carry no pipeline_run_id (impossible while the NOT NULL constraint holds).
SELECT {key_columns} FROM {table} WHERE pipeline_run_id IS NULL
