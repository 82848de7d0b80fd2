"""transmog in shards on Spark: one Spark task per shard runs the tool on its share (schema -> merge -> flatten).

NOT run by this project's tests (see ../README.md); check it against your cluster before relying on it.

    spark-submit shard_pipe.py --shards 8 --out /shared/out /shared/input/

Spark schedules the N tasks and retries a failed one (spark.task.maxFailures); the tool makes each task's work
deterministic: a rerun of shard K writes exactly K's part files again, with the same Position ids. Every executor
must see the inputs and OUT at the same paths (a shared filesystem such as NFS; the tool reads local paths, not
HDFS or object-store URLs), and must have the tool (`transmog` on PATH, or --transmog PATH); so must the driver,
which runs the short merge step itself. Keep spark.speculation off (its default): two attempts of one shard would
write the same files twice.
The result, OUT/tables/<table>/part-0000K.parquet, reads back with spark.read.parquet(OUT + "/tables/<table>").
"""

import argparse
import os
import subprocess

from pyspark.sql import SparkSession


def run(command):
    """Runs the tool; a failure fails the Spark task (which Spark then retries) with the tool's own message."""
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {result.returncode}:\n{result.stderr}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shards", type=int, required=True, help="N: the number of shards (Spark tasks)")
    parser.add_argument("--out", required=True, help="output directory on the shared filesystem")
    parser.add_argument("--transmog", default="transmog", help="the tool's path on the executors")
    parser.add_argument("inputs", nargs="+", help="input files, directories or quoted globs on the shared filesystem")
    args = parser.parse_args()
    shards, out, tool, inputs = args.shards, os.path.abspath(args.out), args.transmog, args.inputs
    os.makedirs(os.path.join(out, "schema"), exist_ok=True)

    spark = SparkSession.builder.appName("transmog-shards").getOrCreate()
    sc = spark.sparkContext

    def schema_task(index, _rows):
        run([tool, "schema", *inputs, "--shard", f"{index}/{shards}",
             "--save", os.path.join(out, "schema", f"schema-{index}.json")])
        yield index

    def flatten_task(index, _rows):
        yield index, run([tool, "flatten", *inputs, "--shard", f"{index}/{shards}",
                          "--schema", os.path.join(out, "schema.json"), "--id-generation", "position",
                          "--format", "parquet", "--out", os.path.join(out, "tables")])

    # One partition per shard: partition K's task is shard K. collect() waits for every task of the step.
    done = sc.parallelize(range(shards), shards).mapPartitionsWithIndex(schema_task).collect()
    assert sorted(done) == list(range(shards)), done

    # The merge is one short step: the driver runs it.
    run([tool, "schema", "--merge",
         *[os.path.join(out, "schema", f"schema-{k}.json") for k in range(shards)],
         "--save", os.path.join(out, "schema.json")])

    for index, written in sorted(sc.parallelize(range(shards), shards).mapPartitionsWithIndex(flatten_task).collect()):
        print(f"shard {index}: {written.strip()}")

    spark.stop()


if __name__ == "__main__":
    main()
