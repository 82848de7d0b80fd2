CREATE TABLE "orders ""main""" (
  "id" bigint,
  "name" text,
  "score" double precision,
  "active" boolean,
  "big" numeric,
  "tags" jsonb,
  "long" text,
  "x""; DROP TABLE y; --" text,
  "back`tick]" bigint,
  "Name" text,
  "emoji 😀" bigint,
  "a_very_long_key_that_goes_on_and_on_beyond_what_postgr_391403bc" bigint,
  "signup" date,
  "seen" timestamp(6) without time zone,
  "at" timestamp(6) with time zone,
  "_id" uuid NOT NULL,
  "_timestamp" timestamp(6) with time zone,
  PRIMARY KEY ("_id")
);

CREATE TABLE "orders_main_orders" (
  "sku" text,
  "qty" bigint,
  "_id" uuid NOT NULL,
  "_parent_id" uuid,
  "_array_index" bigint,
  "_root_id" uuid,
  "_timestamp" timestamp(6) with time zone,
  PRIMARY KEY ("_id"),
  FOREIGN KEY ("_parent_id") REFERENCES "orders ""main""" ("_id")
);

CREATE TABLE "orders_main_orders_lines" (
  "note" text,
  "_id" uuid NOT NULL,
  "_parent_id" uuid,
  "_array_index" bigint,
  "_root_id" uuid,
  "_timestamp" timestamp(6) with time zone,
  PRIMARY KEY ("_id"),
  FOREIGN KEY ("_parent_id") REFERENCES "orders_main_orders" ("_id")
);
