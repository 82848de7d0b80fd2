CREATE TABLE "orders ""main""" (
  "id" INTEGER,
  "name" TEXT,
  "score" REAL,
  "active" INTEGER,
  "big" TEXT,
  "tags" TEXT,
  "long" TEXT,
  "x""; DROP TABLE y; --" TEXT,
  "back`tick]" INTEGER,
  "Name_dcd1d522" TEXT,
  "emoji 😀" INTEGER,
  "a_very_long_key_that_goes_on_and_on_beyond_what_postgres_and_mysql_allow_for_identifiers" INTEGER,
  "signup" TEXT,
  "seen" TEXT,
  "at" TEXT,
  "_id" TEXT NOT NULL,
  "_timestamp" TEXT,
  PRIMARY KEY ("_id")
) STRICT;

CREATE TABLE "orders_main_orders" (
  "sku" TEXT,
  "qty" INTEGER,
  "_id" TEXT NOT NULL,
  "_parent_id" TEXT,
  "_array_index" INTEGER,
  "_root_id" TEXT,
  "_timestamp" TEXT,
  PRIMARY KEY ("_id"),
  FOREIGN KEY ("_parent_id") REFERENCES "orders ""main""" ("_id")
) STRICT;

CREATE TABLE "orders_main_orders_lines" (
  "note" TEXT,
  "_id" TEXT NOT NULL,
  "_parent_id" TEXT,
  "_array_index" INTEGER,
  "_root_id" TEXT,
  "_timestamp" TEXT,
  PRIMARY KEY ("_id"),
  FOREIGN KEY ("_parent_id") REFERENCES "orders_main_orders" ("_id")
) STRICT;
