CREATE TABLE `orders "main"` (
  `id` BIGINT,
  `name` VARCHAR(64),
  `score` DOUBLE,
  `active` BOOLEAN,
  `big` DECIMAL(65,30),
  `tags` JSON,
  `long` VARCHAR(128),
  `x"; DROP TABLE y; --` VARCHAR(64),
  `back``tick]` BIGINT,
  `Name_dcd1d522` VARCHAR(64),
  `emoji __c07e2aa9` BIGINT,
  `a_very_long_key_that_goes_on_and_on_beyond_what_postgre_391403bc` BIGINT,
  `signup` DATE,
  `seen` DATETIME(6),
  `at` DATETIME(6),
  `_id` CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `_timestamp` DATETIME(6),
  PRIMARY KEY (`_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `orders_main_orders` (
  `sku` VARCHAR(64),
  `qty` BIGINT,
  `_id` CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `_parent_id` CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
  `_array_index` BIGINT,
  `_root_id` CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
  `_timestamp` DATETIME(6),
  PRIMARY KEY (`_id`),
  FOREIGN KEY (`_parent_id`) REFERENCES `orders "main"` (`_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `orders_main_orders_lines` (
  `note` VARCHAR(64),
  `_id` CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `_parent_id` CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
  `_array_index` BIGINT,
  `_root_id` CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
  `_timestamp` DATETIME(6),
  PRIMARY KEY (`_id`),
  FOREIGN KEY (`_parent_id`) REFERENCES `orders_main_orders` (`_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
