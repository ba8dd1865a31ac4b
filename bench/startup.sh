#!/usr/bin/env bash
# Start-up of the packaged service, launch to the first answer of /actuator/health, four ways, each the median of
# [runs] launches: the jar as built; the extracted layout; the extracted layout with a class-data sharing archive
# made by a training run; and the same with Spring's ahead-of-time bean definitions, which the aot profile generates
# (see docs/service.md). Needs curl, the service packaged with them
# (mvn -pl apps/backend -am package -DskipTests -Paot) and a migrated database (mvn -pl db liquibase:update).
# Usage: bash bench/startup.sh [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=apps/backend/target/backend-0.1.0-SNAPSHOT-exec.jar
app=apps/backend/target/app
if curl -sf localhost:8080/actuator/health > /dev/null; then echo "Something already answers on port 8080; stop it first." >&2; exit 1; fi

rm -rf "$app"
java -Djarmode=tools -jar "$jar" extract --destination "$app" > /dev/null
java -XX:ArchiveClassesAtExit="$app/application.jsa" -Dspring.context.exit=onRefresh -jar "$app/backend-0.1.0-SNAPSHOT-exec.jar" > "$app/training.log" 2>&1
java -XX:ArchiveClassesAtExit="$app/application-aot.jsa" -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh \
  -jar "$app/backend-0.1.0-SNAPSHOT-exec.jar" > "$app/training-aot.log" 2>&1 \
  || { echo "The start with ahead-of-time bean definitions failed; see $app/training-aot.log. A jar built without" \
         "them always fails here: mvn -pl apps/backend -am package -DskipTests -Paot" >&2; exit 1; }

launch() { # prints milliseconds from launch to the first answer of /actuator/health
  local start end pid
  start=$(date +%s%N)
  "$@" > "$app/launch.log" 2>&1 & pid=$!
  until curl -sf localhost:8080/actuator/health > /dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$app/launch.log" >&2; exit 1; }; sleep 0.02
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

for way in jar extracted cds aot; do : > "$app/$way.ms"; done
for run in $(seq 1 "$runs"); do
  launch java -jar "$jar" >> "$app/jar.ms"
  launch java -jar "$app/backend-0.1.0-SNAPSHOT-exec.jar" >> "$app/extracted.ms"
  launch java -XX:SharedArchiveFile="$app/application.jsa" -jar "$app/backend-0.1.0-SNAPSHOT-exec.jar" >> "$app/cds.ms"
  launch java -XX:SharedArchiveFile="$app/application-aot.jsa" -Dspring.aot.enabled=true -jar "$app/backend-0.1.0-SNAPSHOT-exec.jar" >> "$app/aot.ms"
done
echo "Launch to first /actuator/health answer, median of $runs, on $(nproc) cores:"
printf '  java -jar (as built)           %6d ms\n' "$(median < "$app/jar.ms")"
printf '  extracted layout               %6d ms\n' "$(median < "$app/extracted.ms")"
printf '  extracted + CDS archive        %6d ms\n' "$(median < "$app/cds.ms")"
printf '  extracted + CDS + AOT          %6d ms\n' "$(median < "$app/aot.ms")"
