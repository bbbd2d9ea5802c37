#!/usr/bin/env bash
# Uploads one file to a Courier space with a personal API token, curl alone (docs/api.md):
#   COURIER_TOKEN=courier_pat_… scripts/api-example.sh https://courier.example.com 'Space name' ./report.pdf
# The token needs the read and transfer scopes. It is read from the environment, never from the
# command line, where every user of the machine could see it in the process list.
# Needs bash, curl and node (to read JSON; any JSON tool would do).
set -euo pipefail

usage() {
  echo "usage: COURIER_TOKEN=courier_pat_… $0 <portal URL> <space name> <file>" >&2
  exit 2
}
[ "$#" -eq 3 ] || usage
portal="${1%/}"
space_name="$2"
file="$3"
[ -n "${COURIER_TOKEN:-}" ] || { echo "error: set COURIER_TOKEN to a personal API token (profile page, API tokens)" >&2; exit 2; }
[ -f "$file" ] || { echo "error: $file is not a file" >&2; exit 2; }
command -v node >/dev/null || { echo "error: this script reads JSON with node; install Node.js" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The token travels in a header file, not on curl's command line (the process list again).
printf 'Authorization: Bearer %s\n' "$COURIER_TOKEN" > "$work/auth"
api() { # api METHOD PATH [JSON body]: prints the answer; on an error, says the portal's { code, message } and fails
  local args=(-sS -o "$work/answer" -w '%{http_code}' -H "@$work/auth" -X "$1")
  [ "$#" -ge 3 ] && args+=(-H 'content-type: application/json' --data-binary "$3")
  local status
  status="$(curl "${args[@]}" "$portal$2")"
  if [ "$status" -ge 400 ]; then
    echo "error: $1 $2 answered $status: $(cat "$work/answer")" >&2
    return 1
  fi
  cat "$work/answer"
}
# json EXPRESSION: evaluates a JavaScript expression over the JSON read from stdin (as `d`).
json() { node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const d=JSON.parse(s);const v=('"$1"');process.stdout.write(typeof v==="string"?v:JSON.stringify(v))})'; }

# 1. Find the space by name among those the token's person belongs to.
api GET /api/spaces > "$work/spaces.json"
space_id="$(NAME="$space_name" json 'd.spaces.find((s) => s.name === process.env.NAME)?.id ?? ""' < "$work/spaces.json")"
[ -n "$space_id" ] || { echo "error: no space named \"$space_name\" for this token" >&2; exit 1; }

# 2. Ask the portal for an upload of this file into the space's top folder.
name="$(basename "$file")"
size="$(wc -c < "$file" | tr -d ' ')"
request="$(NAME="$name" SIZE="$size" SPACE="$space_id" node -e 'process.stdout.write(JSON.stringify({
  spaceId: process.env.SPACE, direction: "upload", folder: "/", files: [{ path: process.env.NAME, size: Number(process.env.SIZE) }] }))')"
api POST /api/transfers "$request" > "$work/transfer.json"
transfer_id="$(json 'd.transfer.id' < "$work/transfer.json")"
# The spec goes to the gateway as it came; its token authorizes this upload only.
json 'd.transferSpec' < "$work/transfer.json" > "$work/spec.json"
# The gateway's URL may be relative to the portal's.
gateway="$(PORTAL="$portal" json '(u => u ? new URL(u, process.env.PORTAL + "/").href.replace(/\/$/, "") : "")(d.clients.find((c) => c.type === "http-gateway")?.url)' < "$work/transfer.json")"
[ -n "$gateway" ] || { echo "error: the space's node offers no HTTP Gateway (only Desktop): upload with IBM Aspera instead" >&2; exit 1; }
echo "transfer $transfer_id: uploading $name ($size bytes) through $gateway"

# 3. The HTTP Gateway v3 upload: one multipart body, the spec, then each file's size and bytes.
# The part's filename must be the spec's path; curl takes it quoted, with " and \ escaped.
quoted="${name//\\/\\\\}"
quoted="${quoted//\"/\\\"}"
gateway_status="$(curl -sS -o "$work/upload.json" -w '%{http_code}' \
  -F "x-aspera-spec=<$work/spec.json" \
  -F "Content-Length=$size" \
  -F "file=@$file;filename=\"$quoted\";type=application/octet-stream" \
  "$gateway/v3/upload")"
if [ "$gateway_status" -ge 400 ]; then
  echo "error: the gateway answered $gateway_status: $(cat "$work/upload.json")" >&2
  exit 1
fi

# 4. Follow the transfer until the portal has its outcome.
for _ in $(seq 1 120); do
  api GET "/api/transfers/$transfer_id" > "$work/record.json"
  status="$(json 'd.status' < "$work/record.json")"
  case "$status" in
    completed) echo "transfer $transfer_id: completed"; exit 0 ;;
    failed | cancelled)
      echo "transfer $transfer_id: $status: $(json 'd.error ?? ""' < "$work/record.json")" >&2
      exit 1 ;;
  esac
  sleep 1
done
echo "transfer $transfer_id: still $status after two minutes" >&2
exit 1
