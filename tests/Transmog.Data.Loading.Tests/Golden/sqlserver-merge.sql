SELECT [_id], [name], [score], [active], [tier], [_timestamp] INTO [#transmog_stage_0] FROM [customers] WHERE 1 = 0;

-- SqlBulkCopy into [#transmog_stage_0]: String, String, Double, Boolean, String, DateTime;

SELECT [order_no], [total], [_id], [_parent_id], [_timestamp] INTO [#transmog_stage_1] FROM [customers_orders] WHERE 1 = 0;

-- SqlBulkCopy into [#transmog_stage_1]: String, Double, Guid, String, DateTime;

SELECT [sku], [qty], [_id], [_parent_id], [_timestamp] INTO [#transmog_stage_2] FROM [customers_orders_items] WHERE 1 = 0;

-- SqlBulkCopy into [#transmog_stage_2]: String, Int64, Guid, Guid, DateTime;

SELECT COUNT(*) FROM [#transmog_stage_0] s WHERE EXISTS (SELECT 1 FROM [customers] x WHERE x.[_id] = s.[_id]);

DELETE FROM [customers_orders_items] WHERE [_parent_id] IN (SELECT [_id] FROM [customers_orders] WHERE [_parent_id] IN (SELECT [_id] FROM [#transmog_stage_0]));

DELETE FROM [customers_orders] WHERE [_parent_id] IN (SELECT [_id] FROM [#transmog_stage_0]);

DELETE FROM [customers_reviews] WHERE [_parent_id] IN (SELECT [_id] FROM [#transmog_stage_0]);

MERGE INTO [customers] WITH (HOLDLOCK) AS t
USING [#transmog_stage_0] AS s
ON t.[_id] = s.[_id]
WHEN MATCHED THEN UPDATE SET t.[name] = s.[name], t.[score] = s.[score], t.[active] = s.[active], t.[tier] = s.[tier], t.[_timestamp] = s.[_timestamp]
WHEN NOT MATCHED THEN INSERT ([_id], [name], [score], [active], [tier], [_timestamp]) VALUES (s.[_id], s.[name], s.[score], s.[active], s.[tier], s.[_timestamp]);

MERGE INTO [customers_orders] WITH (HOLDLOCK) AS t
USING [#transmog_stage_1] AS s
ON t.[_id] = s.[_id]
WHEN MATCHED THEN UPDATE SET t.[order_no] = s.[order_no], t.[total] = s.[total], t.[_parent_id] = s.[_parent_id], t.[_timestamp] = s.[_timestamp]
WHEN NOT MATCHED THEN INSERT ([order_no], [total], [_id], [_parent_id], [_timestamp]) VALUES (s.[order_no], s.[total], s.[_id], s.[_parent_id], s.[_timestamp]);

MERGE INTO [customers_orders_items] WITH (HOLDLOCK) AS t
USING [#transmog_stage_2] AS s
ON t.[_id] = s.[_id]
WHEN MATCHED THEN UPDATE SET t.[sku] = s.[sku], t.[qty] = s.[qty], t.[_parent_id] = s.[_parent_id], t.[_timestamp] = s.[_timestamp]
WHEN NOT MATCHED THEN INSERT ([sku], [qty], [_id], [_parent_id], [_timestamp]) VALUES (s.[sku], s.[qty], s.[_id], s.[_parent_id], s.[_timestamp]);
