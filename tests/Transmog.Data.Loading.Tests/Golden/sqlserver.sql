CREATE TABLE [orders "main"] (
  [id] BIGINT NULL,
  [name] NVARCHAR(64) NULL,
  [score] FLOAT NULL,
  [active] BIT NULL,
  [big] DECIMAL(38,10) NULL,
  [tags] NVARCHAR(MAX) NULL,
  [long] NVARCHAR(128) NULL,
  [x"; DROP TABLE y; --] NVARCHAR(64) NULL,
  [back`tick]]] BIGINT NULL,
  [Name_dcd1d522] NVARCHAR(64) NULL,
  [emoji 😀] BIGINT NULL,
  [a_very_long_key_that_goes_on_and_on_beyond_what_postgres_and_mysql_allow_for_identifiers] BIGINT NULL,
  [signup] DATE NULL,
  [seen] DATETIME2(6) NULL,
  [at] DATETIMEOFFSET(6) NULL,
  [_id] UNIQUEIDENTIFIER NOT NULL,
  [_timestamp] DATETIME2(6) NULL,
  PRIMARY KEY ([_id])
);

CREATE TABLE [orders_main_orders] (
  [sku] NVARCHAR(64) NULL,
  [qty] BIGINT NULL,
  [_id] UNIQUEIDENTIFIER NOT NULL,
  [_parent_id] UNIQUEIDENTIFIER NULL,
  [_array_index] BIGINT NULL,
  [_root_id] UNIQUEIDENTIFIER NULL,
  [_timestamp] DATETIME2(6) NULL,
  PRIMARY KEY ([_id]),
  FOREIGN KEY ([_parent_id]) REFERENCES [orders "main"] ([_id])
);

CREATE TABLE [orders_main_orders_lines] (
  [note] NVARCHAR(64) NULL,
  [_id] UNIQUEIDENTIFIER NOT NULL,
  [_parent_id] UNIQUEIDENTIFIER NULL,
  [_array_index] BIGINT NULL,
  [_root_id] UNIQUEIDENTIFIER NULL,
  [_timestamp] DATETIME2(6) NULL,
  PRIMARY KEY ([_id]),
  FOREIGN KEY ([_parent_id]) REFERENCES [orders_main_orders] ([_id])
);
