-- must count 0: SELECT COUNT(*) FROM [customers] WHERE [score] > 9007199254740992 OR [score] < -9007199254740992;

-- must count 0: SELECT COUNT(*) FROM [customers_orders] WHERE [total] > 9007199254740992 OR [total] < -9007199254740992;

-- widened column customers.score from bigint to FLOAT;

-- added column customers.tier (NVARCHAR(64));

-- widened column customers_orders.total from bigint to FLOAT;

-- created table customers_reviews;

ALTER TABLE [customers] ALTER COLUMN [score] FLOAT NULL;

ALTER TABLE [customers] ADD [tier] NVARCHAR(64) NULL;

ALTER TABLE [customers_orders] ALTER COLUMN [total] FLOAT NULL;

CREATE TABLE [customers_reviews] (
  [stars] BIGINT NULL,
  [text] NVARCHAR(64) NULL,
  [_id] UNIQUEIDENTIFIER NOT NULL,
  [_parent_id] NVARCHAR(450) COLLATE Latin1_General_100_BIN2 NULL,
  [_timestamp] DATETIME2(6) NULL,
  PRIMARY KEY ([_id]),
  FOREIGN KEY ([_parent_id]) REFERENCES [customers] ([_id])
);

SELECT [_id], [name], [score], [active], [tier], [_timestamp] INTO [#transmog_stage_0] FROM [customers] WHERE 1 = 0;

-- SqlBulkCopy into [#transmog_stage_0]: String, String, Double, Boolean, String, DateTime;

SELECT [order_no], [total], [_id], [_parent_id], [_timestamp] INTO [#transmog_stage_1] FROM [customers_orders] WHERE 1 = 0;

-- SqlBulkCopy into [#transmog_stage_1]: String, Double, Guid, String, DateTime;

SELECT [stars], [text], [_id], [_parent_id], [_timestamp] INTO [#transmog_stage_2] FROM [customers_reviews] WHERE 1 = 0;

-- SqlBulkCopy into [#transmog_stage_2]: Int64, String, Guid, String, DateTime;

SELECT [sku], [qty], [_id], [_parent_id], [_timestamp] INTO [#transmog_stage_3] FROM [customers_orders_items] WHERE 1 = 0;

-- SqlBulkCopy into [#transmog_stage_3]: String, Int64, Guid, Guid, DateTime;

SELECT s.[_id] INTO [#transmog_skip_0] FROM [#transmog_stage_0] s WHERE EXISTS (SELECT 1 FROM [customers] x WHERE x.[_id] = s.[_id]);

INSERT INTO [customers] ([_id], [name], [score], [active], [tier], [_timestamp]) SELECT s.[_id], s.[name], s.[score], s.[active], s.[tier], s.[_timestamp] FROM [#transmog_stage_0] s WHERE NOT EXISTS (SELECT 1 FROM [#transmog_skip_0] k WHERE k.[_id] = s.[_id]) AND NOT EXISTS (SELECT 1 FROM [customers] x WHERE x.[_id] = s.[_id]);

SELECT s.[_id] INTO [#transmog_skip_1] FROM [#transmog_stage_1] s WHERE EXISTS (SELECT 1 FROM [#transmog_skip_0] k WHERE k.[_id] = s.[_parent_id]);

INSERT INTO [customers_orders] ([order_no], [total], [_id], [_parent_id], [_timestamp]) SELECT s.[order_no], s.[total], s.[_id], s.[_parent_id], s.[_timestamp] FROM [#transmog_stage_1] s WHERE NOT EXISTS (SELECT 1 FROM [#transmog_skip_1] k WHERE k.[_id] = s.[_id]) AND NOT EXISTS (SELECT 1 FROM [customers_orders] x WHERE x.[_id] = s.[_id]);

SELECT s.[_id] INTO [#transmog_skip_2] FROM [#transmog_stage_2] s WHERE EXISTS (SELECT 1 FROM [#transmog_skip_0] k WHERE k.[_id] = s.[_parent_id]);

INSERT INTO [customers_reviews] ([stars], [text], [_id], [_parent_id], [_timestamp]) SELECT s.[stars], s.[text], s.[_id], s.[_parent_id], s.[_timestamp] FROM [#transmog_stage_2] s WHERE NOT EXISTS (SELECT 1 FROM [#transmog_skip_2] k WHERE k.[_id] = s.[_id]) AND NOT EXISTS (SELECT 1 FROM [customers_reviews] x WHERE x.[_id] = s.[_id]);

SELECT s.[_id] INTO [#transmog_skip_3] FROM [#transmog_stage_3] s WHERE EXISTS (SELECT 1 FROM [#transmog_skip_1] k WHERE k.[_id] = s.[_parent_id]);

INSERT INTO [customers_orders_items] ([sku], [qty], [_id], [_parent_id], [_timestamp]) SELECT s.[sku], s.[qty], s.[_id], s.[_parent_id], s.[_timestamp] FROM [#transmog_stage_3] s WHERE NOT EXISTS (SELECT 1 FROM [#transmog_skip_3] k WHERE k.[_id] = s.[_id]) AND NOT EXISTS (SELECT 1 FROM [customers_orders_items] x WHERE x.[_id] = s.[_id]);
