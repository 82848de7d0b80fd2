CREATE TABLE "orders ""main""" (
  "id" BIGINT,
  "name" VARCHAR,
  "score" DOUBLE,
  "active" BOOLEAN,
  "big" DECIMAL(38,10),
  "tags" JSON,
  "long" VARCHAR,
  "x""; DROP TABLE y; --" VARCHAR,
  "back`tick]" BIGINT,
  "Name_dcd1d522" VARCHAR,
  "emoji 😀" BIGINT,
  "a_very_long_key_that_goes_on_and_on_beyond_what_postgres_and_mysql_allow_for_identifiers" BIGINT,
  "signup" DATE,
  "seen" TIMESTAMP,
  "at" TIMESTAMPTZ,
  "_id" UUID NOT NULL,
  "_timestamp" TIMESTAMP,
  PRIMARY KEY ("_id")
);

CREATE TABLE "orders_main_orders" (
  "sku" VARCHAR,
  "qty" BIGINT,
  "_id" UUID NOT NULL,
  "_parent_id" UUID,
  "_array_index" BIGINT,
  "_root_id" UUID,
  "_timestamp" TIMESTAMP,
  PRIMARY KEY ("_id"),
  FOREIGN KEY ("_parent_id") REFERENCES "orders ""main""" ("_id")
);

CREATE TABLE "orders_main_orders_lines" (
  "note" VARCHAR,
  "_id" UUID NOT NULL,
  "_parent_id" UUID,
  "_array_index" BIGINT,
  "_root_id" UUID,
  "_timestamp" TIMESTAMP,
  PRIMARY KEY ("_id"),
  FOREIGN KEY ("_parent_id") REFERENCES "orders_main_orders" ("_id")
);
