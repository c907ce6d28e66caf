#!/usr/bin/env bash
# Builds the Lucene baseline of `akhbar bench-index` (LuceneIndex.java) and prints, on
# its last line of standard output, the Java classpath to run it with:
#   java -cp "$(scripts/lucene/build.sh)" akhbar.bench.LuceneIndex --jobs 2 --ram-mb 256 --out DIR CORPUS
# Lucene's jars, first found wins:
#   1. $AKHBAR_LUCENE_CLASSPATH (jars separated by ':'), used as given;
#   2. target/lib/ here, once `mvn package` has fetched Lucene 9.12.3 (pom.xml);
#   3. Debian's liblucene8-java (Lucene 8.7: `apt-get install liblucene8-java`);
#   4. `mvn -q -B package` (needs Maven Central).
# ArabicAnalyzer is org.apache.lucene.analysis.ar in Lucene 8 and 9 alike; the source
# compiles against either. Exits non-zero, saying what is missing, without Java or jars.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/target}
for tool in java javac; do
  if ! command -v "$tool" >/dev/null; then
    echo "lucene baseline: $tool not found (install a JDK 17, e.g. apt-get install openjdk-17-jdk-headless)" >&2
    exit 3
  fi
done
jars=""
if [[ -n "${AKHBAR_LUCENE_CLASSPATH:-}" ]]; then
  jars=$AKHBAR_LUCENE_CLASSPATH
elif compgen -G "$here/target/lib/lucene-core-*.jar" >/dev/null; then
  jars=$(ls "$here"/target/lib/*.jar | paste -sd:)
elif compgen -G "/usr/share/java/lucene-core-*.jar" >/dev/null \
  && compgen -G "/usr/share/java/lucene-analyzers-common-*.jar" >/dev/null; then
  jars=$(ls /usr/share/java/lucene-core-*.jar /usr/share/java/lucene-analyzers-common-*.jar | paste -sd:)
elif command -v mvn >/dev/null; then
  if mvn -q -B -f "$here/pom.xml" package >&2 && compgen -G "$here/target/lib/lucene-core-*.jar" >/dev/null; then
    jars=$(ls "$here"/target/lib/*.jar | paste -sd:)
  fi
fi
if [[ -z "$jars" ]]; then
  echo "lucene baseline: no Lucene jars (set AKHBAR_LUCENE_CLASSPATH, apt-get install liblucene8-java, or let mvn reach Maven Central for pom.xml's Lucene 9.12.3)" >&2
  exit 4
fi
classes=$out/classes
src=$here/src/main/java/akhbar/bench/LuceneIndex.java
if [[ ! -f $classes/akhbar/bench/LuceneIndex.class || $src -nt $classes/akhbar/bench/LuceneIndex.class ]]; then
  mkdir -p "$classes"
  javac -nowarn -d "$classes" -cp "$jars" "$src" >&2
fi
echo "$classes:$jars"
